#!/usr/bin/env bash
# rss.sh PTRAIL [N]: peak RSS of ptrail while it traces N (default 1000)
# concurrent sleeping processes (`ptrail -f` of a shell that starts N
# `sleep`s), read from /proc/PID/status (VmHWM) once all N are traced.
set -u
PTRAIL=${1:?usage: rss.sh PTRAIL [N]}
N=${2:-1000}
out=$(mktemp)
trap 'kill -KILL -- -$pgid 2>/dev/null; rm -f "$out"' EXIT
setsid "$PTRAIL" -f -o /dev/null sh -c "for i in \$(seq $N); do sleep 60 & done; wait" &
pid=$!
pgid=$pid
for _ in $(seq 600); do
    traced=$(grep -l "^TracerPid:[[:space:]]*$pid\$" /proc/[0-9]*/status 2>/dev/null | wc -l)
    # the shell and its N sleeps
    [[ $traced -gt $N ]] && break
    sleep 0.1
done
echo "traced processes: $traced"
grep -E "^(VmHWM|VmRSS)" /proc/$pid/status
