# SPDX-License-Identifier: GPL-2.0
# Demo part (sourced by scripts/demo.sh in the guest): BAM-DMUX, the modem
# data path as wwanN netdevs, with the emulated modem behind a TUN in its own
# network namespace, iperf3 through it and a dmuxstat frame.
BAM_D=/sys/kernel/debug/socbpf_bam_dmux

say "BAM-DMUX: load socbpf_bam_dmux, start the modem emulator in namespace 'modem'"
modprobe tun 2>/dev/null || {
	xz -dc ".cache/kernel/$(uname -r)/root/lib/modules/$(uname -r)/kernel/drivers/net/tun.ko.xz" > /tmp/tun.ko
	insmod /tmp/tun.ko
}
modprobe wwan 2>/dev/null || {
	xz -dc ".cache/kernel/$(uname -r)/root/lib/modules/$(uname -r)/kernel/drivers/net/wwan/wwan.ko.xz" > /tmp/wwan.ko
	insmod /tmp/wwan.ko
}
run insmod kernel/bam_dmux/socbpf_bam_dmux.ko
run ip netns add modem
bam-modem -n modem -c 0,1 -C /tmp/modem.ctl -S /tmp/modem.stats -r /tmp/modem.ready \
	> /tmp/bam-modem.out 2>&1 &
bam_modem=$!
for i in $(seq 100); do [ -e /tmp/modem.ready ] && [ -e /sys/class/net/wwan1 ] && break; sleep 0.1; done
say "BAM-DMUX: the modem's QMI control port, through the WWAN subsystem"
run timeout 20 qmicli -d /dev/wwan0qmi0 --dms-get-ids
run timeout 20 qmicli -d /dev/wwan0qmi0 --wds-get-packet-service-status
run ip -n modem addr add 10.64.0.1/30 dev bmtun0
run ip addr add 10.64.0.2/30 dev wwan0
run ip link set wwan0 up
run ip -d link show wwan0
run busybox ping -c 3 10.64.0.1

say "BAM-DMUX: iperf3 through wwan0 while dmuxstat watches"
ip netns exec modem iperf3 -s -1 > /dev/null 2>&1 &
sleep 0.5
dmuxstat -d 3 -n 1 -N 5 > /tmp/dmuxstat.out 2>/dev/null &
dmux_pid=$!
sleep 0.5
run iperf3 -c 10.64.0.1 -t 2
wait $dmux_pid
run cat /tmp/dmuxstat.out

say "BAM-DMUX: the modem sends bad frames; the driver counts and drops them"
echo "bad magic 2" > /tmp/modem.ctl
echo "bad pad 3 0" > /tmp/modem.ctl
sleep 0.5
run grep -E '^(runtime_suspended|channels|rx_packets|tx_packets|votes_on|acks|drop_magic|drop_pad) ' $BAM_D/stats
run cat /sys/class/net/wwan0/statistics/rx_frame_errors

kill $bam_modem; wait $bam_modem 2>/dev/null
ip link set wwan0 down
for i in $(seq 50); do rmmod socbpf_bam_dmux 2>/dev/null && break; sleep 0.2; done
ip netns del modem
