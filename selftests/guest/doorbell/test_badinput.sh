#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socbpf-arch: arm64
# socbpf-vm: doorbell
# Bad requests get a clear errno and change nothing: the host side's and the
# function's control files, the EPC's function file, unloading a bound
# function's module; unloading the EPC with a function bound unbinds it.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/db_lib.sh"
tap_plan 12

# fails WANT CMD...: CMD fails and its error message names WANT
fails() {
	local want=$1 out
	shift
	out=$("$@" 2>&1) && { echo "succeeded: $*"; return 1; }
	echo "$out"
	grep -q "$want" <<<"$out"
}
w() { echo "$2" > "$1"; }

tap_check "modules load" db_load
tap_check "a function with no driver loaded is refused (ENODEV)" \
	fails "No such device" w $VEPC/function socbpf_no_such_fn
tap_check "bind" db_bind
tap_check "binding a second function is refused (EBUSY)" \
	fails "busy" w $VEPC/function socbpf_db_test
tap_check "host: a doorbell index past the set is refused (EINVAL)" \
	fails "Invalid argument" w $HOST/ctl "ring 8 1 cpu"
tap_check "host: an unknown way of ringing is refused (EINVAL)" \
	fails "Invalid argument" w $HOST/ctl "ring 0 1 pio"
tap_check "host: garbage is refused (EINVAL)" fails "Invalid argument" w $HOST/ctl "ring"
tap_check "host: a doorbell the function does not offer is not READY (EAGAIN)" \
	fails "temporarily unavailable" w $HOST/ctl "ring 5 1 cpu"
tap_check "function: realloc 0 is refused (EINVAL)" fails "Invalid argument" w $EPFCTL "realloc 0"
tap_check "the bound function's module cannot be unloaded (in use: busybox rmmod says EAGAIN)" \
	fails "in use\|temporarily unavailable" rmmod socbpf_pci_epf_db
tap_check "doorbells still ring after all that" db_ring 0 2 cpu
unload_epc() {
	rmmod socbpf_db_host && rmmod socbpf_pci_epc_virt && rmmod socbpf_pci_epf_db &&
	rmmod socbpf_doorbell && ! grep -q socbpf /proc/interrupts
}
tap_check "unloading the EPC with the function bound unbinds it; all unload" unload_epc
tap_done
