#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts: HTTPS when a certificate and its key
# are mounted, plain HTTP only (and a warning) when not.
set -eu
mkdir -p /etc/nginx/cairn-enabled
rm -f /etc/nginx/cairn-enabled/tls.conf
if [ -r /etc/nginx/certs/tls.crt ] && [ -r /etc/nginx/certs/tls.key ]; then
  cp /etc/nginx/cairn/tls.conf /etc/nginx/cairn-enabled/tls.conf
  echo "cairn: HTTPS on 443 with /etc/nginx/certs/tls.crt"
else
  echo "cairn: WARNING no certificate in compose/certs (tls.crt, tls.key): HTTPS is off, HTTP only" >&2
fi
