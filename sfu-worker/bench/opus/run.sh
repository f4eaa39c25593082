#!/usr/bin/env bash
# Concentus vs libopus (FFmpeg's libopus via org.bytedeco:ffmpeg JNI), per 20 ms frame, on one core.
# usage: sfu-worker/bench/opus/run.sh [rounds, default 5]   (needs the jars in ~/.m2; fetches them with mvn if missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
m2=${HOME}/.m2/repository
jars=(
  "$m2/io/github/jaredmdobson/concentus/1.0.2/concentus-1.0.2.jar"
  "$m2/org/bytedeco/javacpp/1.5.12/javacpp-1.5.12.jar"
  "$m2/org/bytedeco/javacpp/1.5.12/javacpp-1.5.12-linux-x86_64.jar"
  "$m2/org/bytedeco/ffmpeg/7.1.1-1.5.12/ffmpeg-7.1.1-1.5.12.jar"
  "$m2/org/bytedeco/ffmpeg/7.1.1-1.5.12/ffmpeg-7.1.1-1.5.12-linux-x86_64.jar"
)
for a in io.github.jaredmdobson:concentus:1.0.2 org.bytedeco:javacpp:1.5.12 org.bytedeco:javacpp:1.5.12:jar:linux-x86_64 \
         org.bytedeco:ffmpeg:7.1.1-1.5.12 org.bytedeco:ffmpeg:7.1.1-1.5.12:jar:linux-x86_64; do
  mvn -B -q dependency:get -Dartifact="$a" >/dev/null
done
cp=$(IFS=:; echo "${jars[*]}")
out=$(mktemp -d)
javac -d "$out" -cp "$cp" "$here/OpusCodecs.java"
exec taskset -c "${BENCH_CORE:-1}" java -XX:+UseSerialGC -cp "$out:$cp" OpusCodecs "${1:-5}"
