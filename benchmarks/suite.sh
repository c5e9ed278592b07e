#!/usr/bin/env bash
# The benchmark suite in one command (about 12 minutes on 2 cores). Builds the benchmark jar,
# then runs every benchmark once with short but sufficient iterations, writing each result to
# benchmarks/target/suite/ and a summary to the terminal. Each benchmark starts its own
# throwaway redis-server / local cluster unless REDIS_URL / REDIS_CLUSTER_URLS name one
# (MemoryPerLink always needs a throwaway server: it flushes it).
#
#   benchmarks/suite.sh            # everything
#   benchmarks/suite.sh quick      # a 3-minute smoke run of the same benchmarks (fewer forks)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-full}"
out=benchmarks/target/suite
mkdir -p "$out"
mvn -q -B -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar

jmh() { # name, args...
  local name="$1"; shift
  echo "== $name: java -jar $jar $*"
  java -jar "$jar" "$@" -rf text -rff "$out/$name.txt" > "$out/$name.log" 2>&1 \
    || { tail -40 "$out/$name.log"; exit 1; }
  cat "$out/$name.txt"
}
main() { # name, class, args...
  local name="$1" cls="$2"; shift 2
  echo "== $name: java -cp $jar io.statefulroute.benchmarks.$cls $*"
  java -Xmx2g -cp "$jar" "io.statefulroute.benchmarks.$cls" "$@" 2>&1 | grep -v '^\[' | tee "$out/$name.txt"
}

if [ "$mode" = quick ]; then
  jmh executor ExecutorThroughput -f 1 -wi 1 -w 2s -i 1 -r 2s -p client=executor,lettuce \
    -p inFlight=1,256 -p topology=standalone
  jmh client-compute ClientCompute -f 1 -wi 1 -w 2s -i 1 -r 2s -prof gc
  jmh instrumentation InstrumentationCost -f 1 -wi 1 -w 2s -i 1 -r 2s
  jmh batch-read BatchRead -f 1 -wi 1 -w 2s -i 1 -r 2s
  main memory MemoryPerLink 100000
  main staleness StalenessWindow standalone 500 4 5 100
else
  # executor vs raw Lettuce: 2 clients x 3 operations x 2 depths x 2 topologies = 24 forks
  jmh executor ExecutorThroughput -f 1 -wi 1 -w 2s -i 2 -r 2s -p client=executor,lettuce \
    -p inFlight=1,256 -p topology=standalone,cluster
  jmh client-compute ClientCompute -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
  jmh instrumentation InstrumentationCost -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
  jmh batch-read BatchRead -f 1 -wi 2 -w 3s -i 3 -r 3s
  main memory MemoryPerLink 1000000
  main staleness-standalone StalenessWindow standalone 2000 4 10 100
  main staleness-cluster StalenessWindow cluster 2000 4 10 100
  # the adversarial coherence checker of mvn verify (20 s there), 5 minutes per topology
  echo "== coherence checker: CoherenceCheckerStandaloneIT, CoherenceCheckerClusterIT, 300 s each"
  mvn -q -B -pl redis-reactive-executor -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='CoherenceChecker*IT' -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dcoherence.checker.seconds=300 > "$out/coherence.log" 2>&1 || { tail -40 "$out/coherence.log"; exit 1; }
  grep -ho 'coherence checker (seed.*' redis-reactive-executor/target/failsafe-reports/*CoherenceChecker*-output.txt \
    redis-reactive-executor/target/failsafe-reports/TEST-*CoherenceChecker*.xml 2>/dev/null | tee "$out/coherence.txt"
fi
echo "results in $out"
