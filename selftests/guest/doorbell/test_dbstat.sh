#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# Visibility: the socbpf_doorbell tracepoints (alloc, publish, ring, retract,
# host_write) fire in order, and dbstat (CO-RE, raw tracepoints) counts what
# the test did and puts every ring into its host-write-to-handler latency
# histogram, CPU stores and DMA apart.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 9
T=/sys/kernel/tracing
OUTF=/tmp/dbstat.out

tap_check "modules load" db_load
echo 1 > $T/events/socbpf_doorbell/enable
echo > $T/trace
dbstat > $OUTF 2>&1 &
dpid=$!
for _ in $(seq 100); do grep -q '^Tracing' $OUTF && break; sleep 0.1; done
tap_check "dbstat attached" grep -q '^Tracing doorbells' $OUTF
tap_check "bind" db_bind
rings() { db_ring 0 5 cpu && db_ring 1 5 cpu && db_ring 2 2 dma; }
tap_check "5 + 5 CPU-store rings and 2 DMA rings" rings
tap_check "unbind" db_unbind
kill -INT $dpid
wait $dpid
echo 0 > $T/events/socbpf_doorbell/enable
sed 's/^/# /' $OUTF
tap_check "dbstat counts 1 allocation, 4 publishes, 4 retractions" \
	grep -q '^doorbell sets allocated 1, refused or failed 0; published 4, retracted 4$' $OUTF
tap_check "dbstat counts 12 host writes (10 cpu, 2 dma), 12 rings, all matched" \
	grep -q '^host writes 12 (cpu 10, dma 2), rings 12, matched 12, without a host write 0$' $OUTF
hist_sum() { # title: sum of the counts of that histogram
	awk -v t="$1" 'index($0, t) { on = 1; next } on && /->/ { s += $5 } on && /^$/ { on = 0 } END { print s + 0 }' $OUTF
}
tap_check "the latency histograms hold 10 CPU-store and 2 DMA rings" \
	test "$(hist_sum 'handler, CPU store')" = 10 -a "$(hist_sum 'handler, DMA')" = 2
seq_ok() { # the first events of the trace, in order: alloc, 4 publishes, then writes/rings
	local ev
	ev=$(grep -o 'socbpf_doorbell_[a-z_]*:' $T/trace | tr -d : | uniq -c | awk '{ print $2 "x" $1 }' | head -n 5 | tr '\n' ' ')
	echo "events: $ev"
	[ "$ev" = "socbpf_doorbell_allocx1 socbpf_doorbell_publishx4 socbpf_doorbell_host_writex1 socbpf_doorbell_ringx1 socbpf_doorbell_host_writex1 " ]
}
tap_check "tracefs shows alloc, 4 publishes, then host write / ring pairs" seq_ok
echo > $T/trace
db_unload
rm -f $OUTF
tap_done
