#!/usr/bin/env bash
# Local Gatehouse: migrate + seed a local D1 under .state/dev, then serve app and API through workerd.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.state/dev
PORT=${PORT:-8787}
mkdir -p "$STATE"
wrangler() { node_modules/.bin/wrangler "$@"; }
# the operator API's secret (recover deleted accounts); kept per checkout, never committed
if [[ ! -s "$STATE/operator-secret" ]]; then
  od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$STATE/operator-secret"
fi
OPERATOR_SECRET=$(cat "$STATE/operator-secret")

wrangler d1 migrations apply DB --local --persist-to "$STATE"
cargo run --quiet -p gatehouse-tests --bin seed -- demo > "$STATE/seed.sql"
wrangler d1 execute DB --local --persist-to "$STATE" --file "$STATE/seed.sql" >/dev/null

cat <<BANNER

  ┌──────────────────────────────────────────────────────────────┐
  │  Gatehouse is starting on  http://127.0.0.1:$PORT
  │
  │  Sign in to the demo company "Acme GmbH":
  │    Client ID  acme
  │    Username   admin
  │    Password   Gatehouse-Dev-2026!
  │
  │  Same password for:  acme / lena.vogel   (two sales clients only)
  │                      acme-sales / tom.berger   (team lead)
  │                      acme / staff   (no admin rights)
  │                      globex / admin   (another company)
  │
  │  Mail lands in the dev outbox:  http://127.0.0.1:$PORT/dev/outbox
  │  Operator secret (recover deleted accounts): $OPERATOR_SECRET
  └──────────────────────────────────────────────────────────────┘

BANNER
exec node_modules/.bin/wrangler dev --ip 127.0.0.1 --port "$PORT" --persist-to "$STATE" \
  --var GATEHOUSE_MODE:local --var MAIL_PROVIDER:dev-outbox --var "OPERATOR_SECRET:$OPERATOR_SECRET" \
  --show-interactive-dev-session=false
