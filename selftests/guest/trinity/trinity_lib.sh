# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the trinity guest tests (sourced, not a test).
#
# trinity runs as the unprivileged user nobody (what an attacker on a real
# machine would be), with no new privileges, in a mount namespace where the
# only read-write share with the host ($SOCBPF_OUT, virtio-9p) is covered by an
# empty read-only tmpfs; mounts inherited that way are locked, so not even a
# user namespace it creates can uncover it. The host's root is shared
# read-only by QEMU itself and everything else writable is guest RAM. Every
# run names its system calls with -c, so reboot, kexec and the like are never
# called (nobody could not call them anyway).
#
# TRINITY_SECONDS (default 60) is the length of each run; make trinity sets it.

TRINITY=${TRINITY:-trinity}
TRINITY_SECONDS=${TRINITY_SECONDS:-60}
TRINITY_USER=nobody
TRINITY_GROUP=nogroup
TR_TMP=$(mktemp -d /tmp/trinity-test.XXXXXX)
chmod 0755 "$TR_TMP"
TR_SYSCALLS=0
TR_OUT=

# Messages a kernel splat prints; any of them after a run fails the test.
TR_SPLAT='Oops|BUG:|WARNING:|Call Trace|refcount_t|list_add corruption|list_del corruption|general protection|hung_task|blocked for more than'

# The fuzzer's side of unshare: cover the host share, drop to nobody.
TR_WRAP='mount -t tmpfs -o ro,size=4k,mode=0555 none "$1" || exit 90
shift
exec setpriv --reuid='$TRINITY_USER' --regid='$TRINITY_GROUP' --clear-groups --no-new-privs -- "$@"'

# as_fuzzer CMD...: run CMD the way trinity runs (nobody, no new privileges,
# the host share covered)
as_fuzzer() {
	unshare -m --propagation private -- sh -c "$TR_WRAP" sh "${SOCBPF_OUT:-/nonexistent}" "$@"
}

# make_victims DIR DEV...: DIR (root-owned, read-only for others) holds device
# nodes with the numbers of DEV..., mode 0666: trinity's only file targets. A
# DEV named again gets another node (NAME.2, ...): trinity opens as many files
# as it finds, each picked at random, and every qrtr-tun file is an endpoint.
# DIR is a tmpfs of its own: trinity walks it without crossing file systems,
# and on the overlay a device node's st_dev (upper layer) is not its
# directory's, so it would never be picked.
make_victims() {
	local dir=$1 d maj min n i
	shift
	mkdir -p "$dir"
	mount -t tmpfs -o size=64k,mode=0755 trinity-victims "$dir" || return 1
	TR_VICTIMS=$dir
	for d in "$@"; do
		[ -c "$d" ] || { echo "# $d is not a character device"; return 1; }
		maj=$(stat -c %t "$d")
		min=$(stat -c %T "$d")
		n=$(basename "$d")
		i=1
		while [ -e "$dir/$n" ]; do
			i=$((i + 1))
			n=$(basename "$d").$i
		done
		mknod -m 0666 "$dir/$n" c $((16#$maj)) $((16#$min)) || return 1
	done
}

# trinity_run NAME ARGS...: run trinity for TRINITY_SECONDS in its own work
# directory, then SIGINT it; it must stop by itself within 60 s. Sets
# TR_SYSCALLS (from trinity's own count) and TR_OUT (its output file).
# bookworm's trinity (1.9+git20230109) can crash while it sets up its socket
# pool (an out-of-bounds read of its protocol table, fixed upstream later):
# a run whose trinity dies of a signal before it started fuzzing is retried
# with the next seed, at most 5 times, and said so.
trinity_run() {
	local name=$1 work seed rc start
	shift
	work=$TR_TMP/$name
	mkdir -p "$work"
	chown "$TRINITY_USER:$TRINITY_GROUP" "$work"
	TR_OUT=$TR_TMP/$name.out
	TR_SYSCALLS=0
	for seed in 1 2 3 4 5; do
		start=$(date +%s)
		(cd "$work" && timeout --preserve-status -s INT -k 60 "$TRINITY_SECONDS" \
			unshare -m --propagation private -- sh -c "$TR_WRAP" \
			sh "${SOCBPF_OUT:-/nonexistent}" "$TRINITY" -q -s "$seed" "$@"; exit $?) > "$TR_OUT" 2>&1
		rc=$?
		TR_SYSCALLS=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' "$TR_OUT" | tail -n 1)
		TR_SYSCALLS=${TR_SYSCALLS:-0}
		if [ "$rc" -gt 128 ] && [ "$TR_SYSCALLS" = 0 ] &&
		   ! grep -q 'Bailing main loop' "$TR_OUT"; then
			echo "# trinity seed $seed died of signal $((rc - 128)) during set-up, retrying"
			tail -n 3 "$TR_OUT" | sed 's/^/#   /'
			continue
		fi
		echo "# trinity $name: seed $seed, exit $rc after $(( $(date +%s) - start ))s, $TR_SYSCALLS syscalls"
		grep -a 'Successes' "$TR_OUT" | tail -n 1 | sed 's/^/#   /'
		return "$rc"
	done
	return "$rc"
}

# fuzzer_gone: trinity and every child of it are gone, none stuck in D
fuzzer_gone() { ! pgrep -u "$TRINITY_USER" >/dev/null; }

# tr_wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds
tr_wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# show_stuck: processes of the fuzzer that are left, with their kernel stacks
show_stuck() {
	local p
	for p in $(pgrep -u "$TRINITY_USER"); do
		echo "# left: $(ps -o pid=,stat=,wchan:32=,comm= -p "$p")"
		sed 's/^/#   /' "/proc/$p/stack" 2>/dev/null | head -n 12
	done
}

tr_cleanup() {
	pkill -KILL -u "$TRINITY_USER" 2>/dev/null
	[ -n "${TR_VICTIMS:-}" ] && umount "$TR_VICTIMS"
	rm -rf "$TR_TMP"
}
