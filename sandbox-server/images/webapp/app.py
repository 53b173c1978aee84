"""The training/webapp sample: answers "Hello world!" on port 5000 and logs each request.

PROVIDER changes who is greeted: docker run -e PROVIDER=Docker training/webapp
"""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("Hello %s!" % os.environ.get("PROVIDER", "world")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # To stdout, so `docker logs` shows the requests.
        sys.stdout.write("%s - - [%s] %s\n" % (self.address_string(), self.log_date_time_string(), format % args))


def main():
    # As PID 1, Python would ignore SIGTERM: stop promptly on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = ThreadingHTTPServer(("0.0.0.0", 5000), Hello)
    print(" * Running on http://0.0.0.0:5000/")
    server.serve_forever()


if __name__ == "__main__":
    main()
