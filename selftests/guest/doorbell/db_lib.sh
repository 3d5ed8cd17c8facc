# SPDX-License-Identifier: GPL-2.0
# Helpers for the doorbell guest tests (sourced). The arm64 guest boots with
# the doorbell bed (vm-run VM_DOORBELL=1): a socbpf,pci-epc-virt node whose
# MSI parent is the ITS, and an edu device.
D=kernel/doorbell
TM=build/arm64/modules
VEPC=/sys/kernel/debug/socbpf-vepc
HOST=/sys/kernel/debug/socbpf_db_host
LIBDBG=/sys/kernel/debug/socbpf_doorbell
EPFCTL=/sys/kernel/debug/socbpf_epf_db/socbpf_db_test/ctl

db_load() { # [epf params...]
	insmod $D/socbpf_doorbell.ko &&
	insmod $D/socbpf_pci_epc_virt.ko &&
	insmod $D/socbpf_pci_epf_db.ko "$@" &&
	insmod $D/socbpf_db_host.ko
}

db_unload() {
	[ -e $VEPC/function ] && echo none > $VEPC/function
	for m in socbpf_db_host socbpf_pci_epf_db socbpf_db_order \
		 socbpf_pci_epc_virt socbpf_db_mutable socbpf_doorbell; do
		grep -q "^$m " /proc/modules && rmmod $m
	done
	return 0
}

db_bind() { echo "${1:-socbpf_db_test}" > $VEPC/function; }
db_unbind() { echo none > $VEPC/function; }

# db_ring IDX N cpu|dma: N rings, each waited for by the host side
db_ring() { echo "ring $1 $2 $3" > $HOST/ctl; }
# the host's view after the last ring: "idx I rings N count C cpu P"
db_last() { cat $HOST/last; }
db_last_field() { db_last | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

# db_irq IDX: the Linux irq of doorbell IDX of socbpf_db_test
db_irq() { awk -v i="$1" '$1 == "db" && $2 == i { print $4 }' $LIBDBG/socbpf_db_test; }
# db_msg IDX: "published-addr published-data" of doorbell IDX
db_pub() { awk -v i="$1" '$1 == "db" && $2 == i { print $14, $15 }' $LIBDBG/socbpf_db_test; }
db_cur() { awk -v i="$1" '$1 == "db" && $2 == i { print $10, $11 }' $LIBDBG/socbpf_db_test; }
db_msg_changes() { awk '$1 == "msg_changes" { print $2 }' $LIBDBG/socbpf_db_test; }
# the CPU the irq is delivered to
db_eff_cpu() { cat /proc/irq/"$1"/effective_affinity_list; }
