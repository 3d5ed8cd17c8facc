# SPDX-License-Identifier: GPL-2.0
# Demo part (sourced by scripts/demo.sh in the guest): two identical WLAN
# cards on one QRTR bus, stable ids from a BPF policy, real clients, qrtrtop.
. tools/qrtr-emu/emu-lib.sh

say "QRTR: load socbpf_qrtr (AF_QIPCRTR with endpoint ids)"
run qrtr_load
run cat /sys/kernel/debug/socbpf_qrtr/stats

say "QRTR: BPF policy gives each card a stable endpoint id by PCI address"
cat > /tmp/ids.conf <<EOC
pci:0000:01:00.0 = 1
pci:0000:02:00.0 = 2
EOC
printf 'deny ep 2 type data dir tx port 42\ndefault allow\n' > /tmp/demo.rules
run qrtr-policy attach --ids /tmp/ids.conf --rules /tmp/demo.rules

say "QRTR: two emulated ath11k-like cards, both node 7 with service 69 on port 1 (card 2 opens first)"
emu_start wlan2 --key pci:0000:02:00.0 --node 7 --service 69:1:0@1 &&
	emu_start wlan1 --key pci:0000:01:00.0 --node 7 --service 69:1:0@1 -s 2:1:0@2 &&
	echo "wlan1 -> endpoint $(emu_ep wlan1), wlan2 -> endpoint $(emu_ep wlan2)"
run cat /sys/kernel/debug/socbpf_qrtr/endpoints

say "QRTR: Debian's unmodified qrtr-lookup sees both cards"
run timeout 5 qrtr-lookup

say "QRTR: qmicli talks QMI (DMS) to the emulated card"
run timeout 10 qmicli -d qrtr://7 --dms-get-revision

say "QRTR: a socket bound to each endpoint reaches only its own card"
run qrtr-epc send 7 1 -e 1 -d hello-card-1
run qrtr-epc send 7 1 -e 2 -d hello-card-2

say "QRTR: qrtrtop in batch mode while card 1 gets 4x the traffic of card 2"
( for i in $(seq 120); do
	qrtr-epc send 7 1 -e 1 -n 4 -q -t 2000
	qrtr-epc send 7 1 -e 2 -q -t 2000
  done ) &
traffic=$!
run qrtrtop -b -n 2 -d 2
wait $traffic

say "QRTR: policy status, detach, unload"
run qrtr-policy status
run qrtr-policy detach
emu_cleanup
run qrtr_unload
