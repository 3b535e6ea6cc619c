# Sourced by the launch scripts: preload tcmalloc when present (docs/ENVIRONMENT.md section 7) and keep DJL offline.
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [ -e "$TCMALLOC" ]; then
  export LD_PRELOAD="$TCMALLOC${LD_PRELOAD:+:$LD_PRELOAD}"
fi
export DJL_OFFLINE=${DJL_OFFLINE:-true}
JAVA_OPTS=${JAVA_OPTS:-"-Dai.djl.offline=true -Dai.djl.pytorch.graph_optimizer=false"}
