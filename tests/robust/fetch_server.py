#!/usr/bin/env python3
"""fetch_server.py PORTFILE LIFETIME -- a hostile GeoNames mirror on 127.0.0.1
for tests/robust/fetch.sh (issue 19). Serves, under /good, /stall, /trickle,
/html, /bomb and /rowbomb, a CC.zip each: a valid dump; one that stops sending after a
few bytes; one that sends a byte a second; an HTML error page with status
200; a zip whose member inflates to 60 MB of NUL bytes; one that inflates to 60 MB of
valid rows, 1,000 times its size. Writes the port it
listens on to PORTFILE and exits by itself after LIFETIME seconds."""
import http.server, io, socketserver, sys, threading, time, zipfile

portfile, lifetime = sys.argv[1], float(sys.argv[2])

def zipped(name, data):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return b.getvalue()

ROW = '\t'.join(['616108', 'Vardenis', 'Vardenis', '', '40.18', '45.73', 'P', 'PPL', 'AM', '',
                 '10', '', '', '', '12000', '', '1900', 'Asia/Yerevan', '2020-01-01']) + '\n'
GOOD = zipped('XX.txt', ROW * 3)
BOMB = zipped('XX.txt', b'\0' * (60 << 20))
ROWBOMB = zipped('XX.txt', ROW * ((60 << 20) // len(ROW)))
HTML = b'<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>\n'

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def head(self, length, ctype='application/zip'):
        self.send_response(200)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(length))
        self.end_headers()

    def do_GET(self):
        kind = self.path.split('/')[1]
        try:
            if kind == 'good':
                self.head(len(GOOD)); self.wfile.write(GOOD)
            elif kind == 'bomb':
                self.head(len(BOMB)); self.wfile.write(BOMB)
            elif kind == 'rowbomb':
                self.head(len(ROWBOMB)); self.wfile.write(ROWBOMB)
            elif kind == 'html':
                self.head(len(HTML), 'text/html'); self.wfile.write(HTML)
            elif kind == 'stall':
                self.head(len(GOOD)); self.wfile.write(GOOD[:10]); self.wfile.flush()
                time.sleep(lifetime)
            elif kind == 'trickle':
                self.head(len(GOOD))
                for b in GOOD:
                    self.wfile.write(bytes([b])); self.wfile.flush(); time.sleep(1)
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass

class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

srv = S(('127.0.0.1', 0), H)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(portfile + '.tmp', portfile)
threading.Timer(lifetime, srv.shutdown).start()
srv.serve_forever()
