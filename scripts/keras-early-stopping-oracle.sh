#!/bin/sh
# Regenerates tests/fixtures/keras-early-stopping/ from the real Keras, in a
# virtual environment under /tmp (nothing is installed globally).
#   sh scripts/keras-early-stopping-oracle.sh            # from the repository root
# Keras 3.6.0's callback is replayed from its source when KERAS_3_6_SOURCE
# names that release's keras/src/callbacks/early_stopping.py, e.g.
#   git -C /path/to/keras show v3.6.0:keras/src/callbacks/early_stopping.py > /tmp/es-3.6.0.py
#   KERAS_3_6_SOURCE=/tmp/es-3.6.0.py sh scripts/keras-early-stopping-oracle.sh
set -eu
venv=${VENV:-/tmp/keras-oracle-venv}
out=tests/fixtures/keras-early-stopping
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 tensorflow-cpu==2.21.0
py="$venv/bin/python scripts/keras-early-stopping-oracle.py"
for backend in numpy jax tensorflow; do
  $py --backend $backend --out $out/keras-3.15.1-$backend.json
done
if [ -n "${KERAS_3_6_SOURCE:-}" ]; then
  for backend in numpy jax; do
    $py --backend $backend --callback-source "$KERAS_3_6_SOURCE" --callback-version 3.6.0 --semantics keras3.6 \
      --out $out/keras-3.6.0-callback-$backend.json
  done
fi
