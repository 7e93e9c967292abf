#!/usr/bin/env bash
# qa.sh drives the standalone fake OPP gateway (cmd/fakegateway) with curl
# alone, as a QA engineer would, and checks every answer: seed a
# pre-authorization, capture it with OPP's form, force a decline, raise a
# chargeback that the fake delivers, encrypted, to a webhook receiver
# (examples/webhook-receiver), read the ledger, check that the control API
# and OPP's API keep their tokens apart, and reset.
#
#   examples/curl/qa.sh
#
# It builds both programs with go, unless FAKEGATEWAY and RECEIVER name
# binaries already built. It needs bash and curl; it prints "ok <step>" per
# check and "PASS" at the end, and exits non-zero at the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

FAKEGATEWAY=${FAKEGATEWAY:-}
RECEIVER=${RECEIVER:-}
if [ -z "$FAKEGATEWAY" ]; then
  FAKEGATEWAY=$WORK/fakegateway
  go build -o "$FAKEGATEWAY" ./cmd/fakegateway
fi
if [ -z "$RECEIVER" ]; then
  RECEIVER=$WORK/webhook-receiver
  go build -o "$RECEIVER" ./examples/webhook-receiver
fi

# wait_for FILE: until a program has written its KEY=value file.
wait_for() {
  for _ in $(seq 1 600); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  echo "FAIL: $1 never appeared" >&2
  exit 1
}

# expect NAME WANT GOT: GOT must contain WANT.
expect() {
  if [[ "$3" != *"$2"* ]]; then
    printf 'FAIL %s: want %s in\n%s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  echo "ok   $1"
}

# call METHOD URL TOKEN [curl args...]: prints the body, then the HTTP
# status on its own last line.
call() {
  local method=$1 url=$2 token=$3
  shift 3
  curl -sS -X "$method" "$url" -H "Authorization: Bearer $token" -w '\n%{http_code}' "$@"
}

# control METHOD PATH [JSON]: a control API call.
control() {
  call "$1" "$BASE_URL/_fake/$2" "$CONTROL_TOKEN" ${3:+-d "$3"}
}

# json KEY: the value of the last "KEY":"value" of its input.
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1; }

KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
"$RECEIVER" -addr 127.0.0.1:0 -key "$KEY" -env-file "$WORK/receiver.env" > "$WORK/receiver.log" &
wait_for "$WORK/receiver.env"
. "$WORK/receiver.env"
"$FAKEGATEWAY" -addr 127.0.0.1:0 -seed 1 -quiet -env-file "$WORK/fake.env" \
  -webhook-url "$RECEIVER_URL" -webhook-key "$KEY" > /dev/null &
wait_for "$WORK/fake.env"
. "$WORK/fake.env"

# Seed.
out=$(control POST payments '{"paymentType":"PA","amount":"100.00","currency":"EUR","merchantTransactionId":"order-1"}')
expect "seed: 201" $'\n201' "$out"
expect "seed: a successful PA" '"paymentType":"PA","status":"succeeded","resultCode":"000.100.110"' "$out"
PA_ID=$(echo "$out" | json id)

# Capture with OPP's form.
capture() {
  call POST "$BASE_URL/v1/payments/$PA_ID" "$TOKEN" -d entityId="$ENTITY_ID" -d paymentType=CP \
    -d amount="$1" -d currency=EUR -d merchantTransactionId="$2"
}
out=$(capture 60.00 capture-1)
expect "capture: 200" $'\n200' "$out"
expect "capture: success" '"result":{"code":"000.100.110"' "$out"
expect "capture: references the PA" "\"referencedId\":\"$PA_ID\"" "$out"
out=$(control GET "payments/$PA_ID")
expect "capture: the balance" '"authorized":"100.00","captured":"60.00"' "$out"

# A forced decline.
out=$(control POST next-results '{"paymentType":"CP","n":1,"code":"800.100.151"}')
expect "next-results: 200" $'{"ok":true}\n\n200' "$out"
out=$(capture 10.00 capture-2)
expect "decline: HTTP 200" $'\n200' "$out"
expect "decline: 800.100.151" '"result":{"code":"800.100.151","description":"transaction declined (invalid card)"' "$out"
out=$(capture 10.00 capture-3)
expect "after the decline: success again" '"code":"000.100.110"' "$out"

# A chargeback, delivered to the receiver.
DB_ID=$(control POST payments '{"paymentType":"DB","amount":"30.00"}' | json id)
out=$(control POST "payments/$DB_ID/chargeback" '{"amount":"30.00","reasonCode":"000.100.200"}')
expect "chargeback: 201" $'\n201' "$out"
expect "chargeback: booked" '"paymentType":"CB","status":"succeeded","resultCode":"000.100.200"' "$out"
CB_ID=$(echo "$out" | json id)
delivered="\"paymentId\":\"$CB_ID\",\"entityId\":\"$ENTITY_ID\",\"paymentType\":\"CB\",\"resultCode\":\"000.100.200\",\"attempt\":1,\"status\":200"
for _ in $(seq 1 300); do # the delivery is made in the background
  out=$(control GET webhooks)
  [[ "$out" == *"$delivered"* ]] && break
  sleep 0.1
done
expect "webhook: the delivery log" "$delivered" "$out"
received=$(curl -sS "${RECEIVER_URL%/opp/webhook}/received")
expect "webhook: the receiver decrypted the chargeback" "{\"id\":\"$CB_ID\",\"type\":\"PAYMENT\",\"paymentType\":\"CB\",\"referencedId\":\"$DB_ID\",\"amount\":\"30.00\",\"resultCode\":\"000.100.200\"}" "$received"
expect "webhook: the receiver got the captures too" '"paymentType":"CP"' "$received"

# The ledger.
out=$(control GET ledger)
expect "ledger: four commits" '"total":4' "$out"
out=$(control GET 'ledger?tail=1')
expect "ledger: the last is the chargeback" "\"paymentId\":\"$CB_ID\",\"entityId\":\"$ENTITY_ID\",\"paymentType\":\"CB\",\"referencedId\":\"$DB_ID\"" "$out"
out=$(control GET 'ledger?merchantTransactionId=capture-2')
expect "ledger: the declined capture" '"resultCode":"800.100.151"' "$out"

# Tokens apart, bad requests named.
out=$(call GET "$BASE_URL/_fake/ledger" "$TOKEN")
expect "the OPP token does not reach the control API" $'\n401' "$out"
out=$(call GET "$BASE_URL/v1/payments/$PA_ID?entityId=$ENTITY_ID" "$CONTROL_TOKEN")
expect "the control token does not reach OPP's API" '"code":"800.900.300"' "$out"
out=$(control POST payments '{"paymentType":"PA","amount":"ten"}')
expect "a bad control request names its field" '"fields":[{"field":"amount","message":"amount \"ten\" is not an amount such as \"10.00\""}]}' "$out"
expect "a bad control request: 400" $'\n400' "$out"

# Reset.
out=$(control POST reset)
expect "reset: 200" $'\n200' "$out"
out=$(control GET ledger)
expect "reset: an empty ledger" $'{"total":0,"commits":[]}\n\n200' "$out"
out=$(control GET "payments/$PA_ID")
expect "reset: the PA is gone" $'\n404' "$out"
echo PASS
