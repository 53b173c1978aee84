#!/bin/sh
# Containers have no init system: packages must not try to start their services on install
# (the same file Docker Hub's debian image ships).
exit 101
