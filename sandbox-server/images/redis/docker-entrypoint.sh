#!/bin/sh
set -e
# `docker run redis --appendonly yes` (options only, or a .conf first) means redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
# Other containers must reach it: without a password redis's protected mode would refuse them.
if [ "$1" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
fi
exec "$@"
