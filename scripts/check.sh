#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: host unit tests, the VM runner's own tests, then the guest
# selftests (one boot per area), on every kernel lane, ending with ONE line
# "N passed, N failed, N skipped" counting every lane's tests.
#
#   scripts/check.sh            every lane: stock (everything), newest and
#                               debug (their selections, below)
#   scripts/check.sh unit       host unit tests only        } on the stock
#   scripts/check.sh runner     the VM runner's tests only  } lane unless
#   scripts/check.sh AREA       one guest area              } LANE names
#   scripts/check.sh AREA/TEST  one guest test              } another
#   LANE=debug scripts/check.sh qrtr    one area on the debug kernel
#   LANE=debug scripts/check.sh         the debug lane's selection
#
# Lanes (a lane is a kernel, a KVER; see README "Kernel lanes"):
#   stock   Debian's pinned 6.12 image (x86-64 and arm64): every test.
#   debug   the same release built with KASAN, lockdep, kmemleak, UBSAN
#           (scripts/lane-debug.sh); x86-64 only.
#   newest  the newest Debian kernel (scripts/lane-newest.sh, when it
#           exists); x86-64 only.
# A lane other than stock runs what selftests/lanes/<lane>.list names (one
# area, area/test, or runner/test a line; all its guest entries in one
# boot) or, without a list, every x86-64 area (one boot each). A whole run
# runs newest and debug beside stock, in trees of their own (below); with
# LANE= the lane runs here: our modules are rebuilt for its KVER before its
# tests and for the stock kernel again at the end. Results:
# build/results/<lane>/.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
SEL=${1:-}
RES=$TOP/build/results
STOCK_KVER=${KVER:-6.12.95+deb12-amd64}
ARM64_KVER=${ARM64_KVER:-6.12.95+deb12-arm64}
AREA_TIMEOUT=${GUEST_AREA_TIMEOUT:-1200}
if [ -n "${LANE:-}" ]; then
	LANES=$LANE
elif [ -n "$SEL" ]; then
	LANES=stock
else
	LANES="stock newest debug"
fi
for l in $LANES; do
	case "$l" in
	stock|debug|newest) ;;
	*) echo "check: unknown lane '$l' (stock, debug, newest)" >&2; exit 2 ;;
	esac
done
rm -rf "$RES"
mkdir -p "$RES"
check_t0=$(date +%s)

taps=()
# note NAME TEXT...: a one-line TAP result of the harness itself
note() {
	local f=$1 ok=$2
	shift 2
	mkdir -p "$(dirname "$f")"
	{
		echo "TAP version 13"
		echo "1..1"
		if [ "$ok" = 0 ]; then echo "ok 1 - $*"; else echo "not ok 1 - $*"; fi
	} > "$f"
	taps+=("$f")
}

# the arches an area's tests (or the one selected) want: scripts/test-arch
area_arches() {
	local f
	for f in "$1"/test_*; do
		[ -e "$f" ] || continue
		[ -n "$sel_test" ] && [ "$(basename "$f")" != "$sel_test" ] && continue
		scripts/test-arch "$f"
	done | tr ' ' '\n' | sort -u
}

# The arm64 areas whose tests carry "# socbpf-vm: scmi-vhost [ARGS]" boot
# with scmi-platform serving vhost-user-scmi on the host (vm-run
# VM_SCMI_PLATFORM), with ARGS (the first such line of the area's tests).
area_scmi_vhost() {
	grep -h -m1 '^# socbpf-vm: scmi-vhost' "$1"/test_* 2>/dev/null | head -n 1
}

# "# socbpf-vm: doorbell": the arm64 guest gets the PCIe endpoint doorbell
# bed (vm-run VM_DOORBELL: a virtual EPC node and an edu device), the x86
# guest an edu device; "# socbpf-vm: intremap": the x86 guest is a q35 with
# interrupt remapping (vm-run VM_INTREMAP).
area_doorbell() {
	grep -q -h -m1 '^# socbpf-vm: doorbell' "$1"/test_* 2>/dev/null
}
area_intremap() {
	grep -q -h -m1 '^# socbpf-vm: intremap' "$1"/test_* 2>/dev/null
}

# run_sel LANE KVER ARCHES SEL: one selection (as the command line's) on
# one lane; ARCHES the guest arches the lane has.
run_sel() {
	local lane=$1 kver=$2 lane_arches=$3 sel=$4 lres=$RES/$1
	local sel_area=${sel%%/*} d a arches arch gres name plat pargs rc t n slow=1 dbell irmap
	# the debug kernel (KASAN, lockdep, kmemleak under TCG) is slower:
	# its areas and tests get three times the time
	[ "$lane" = debug ] && slow=3
	sel_test=
	[ "$sel" != "$sel_area" ] && sel_test=${sel#*/}
	want() { [ -z "$sel_area" ] || [ "$sel_area" = "$1" ]; }

	if want unit && [ "$lane" = stock ]; then
		mkdir -p "$lres/unit"
		for b in build/unit/test_*; do
			[ -x "$b" ] || continue
			n=$(basename "$b")
			[ -n "$sel_test" ] && [ "$n" != "$sel_test" ] && continue
			echo "== $lane: unit: $n"
			"$b" > "$lres/unit/$n.tap" 2>&1
			echo $? > "$lres/unit/$n.rc"
			taps+=("$lres/unit/$n.tap")
		done
	fi

	# The runner's own tests run on the host (booting the lane's kernel if
	# they boot one): test_detectors.sh (planted bugs) on debug, the others
	# on stock, the one selected on any lane.
	if want runner; then
		mkdir -p "$lres/runner"
		for t in selftests/runner/test_*.sh; do
			n=$(basename "$t" .sh)
			if [ -n "$sel_test" ]; then
				[ "$sel_test" = "$n.sh" ] || [ "$sel_test" = "$n" ] || continue
			else
				case "$lane:$n" in
				debug:test_detectors) ;;
				stock:test_detectors) continue ;;
				stock:*) ;;
				*) continue ;;
				esac
			fi
			echo "== $lane: runner: $n.sh (booting $kver)"
			KVER=$kver bash "$t" > "$lres/runner/$n.tap" 2>&1
			echo $? > "$lres/runner/$n.rc"
			taps+=("$lres/runner/$n.tap")
		done
	fi

	for d in selftests/guest/*/; do
		[ -d "$d" ] || continue
		a=$(basename "$d")
		want "$a" || continue
		arches=$(area_arches "$d")
		for arch in $lane_arches; do
			echo "$arches" | grep -qx "$arch" || continue
			if [ "$arch" = x86_64 ]; then
				gres=$lres/guest/$a name=$lane:$a
				gkver=$kver
			else
				gres=$lres/guest-arm64/$a name=$lane:$a@arm64
				gkver=$ARM64_KVER
			fi
			echo "== $lane: guest: $a${sel_test:+/$sel_test} (booting $gkver)"
			mkdir -p "$gres"
			plat= pargs=
			if [ "$arch" = arm64 ] && [ -n "$(area_scmi_vhost "$d")" ]; then
				plat=1
				pargs=$(area_scmi_vhost "$d" | sed 's/^# socbpf-vm: scmi-vhost *//')
			fi
			dbell=0 irmap=0
			area_doorbell "$d" && dbell=1
			[ "$arch" = x86_64 ] && area_intremap "$d" && irmap=1
			KVER=$gkver VM_DOORBELL=$dbell VM_INTREMAP=$irmap \
			VM_SCMI_PLATFORM=${plat:-0} VM_SCMI_PLATFORM_ARGS=$pargs \
				GUEST_TEST_TIMEOUT=$((${GUEST_TEST_TIMEOUT:-600} * slow)) \
				VM_ENV="${VM_ENV:+$VM_ENV }GUEST_TEST_TIMEOUT" \
				scripts/vm-run -a "$arch" -q -t "$((AREA_TIMEOUT * slow))" -o "$gres" \
				-l "$gres/serial.log" -- scripts/guest-tests.sh "$a" $sel_test
			rc=$?
			if [ $rc -eq 0 ]; then
				note "$gres/vm.tap" 0 "$name: guest booted, ran the tests, log clean"
			else
				note "$gres/vm.tap" 1 "$name: vm-run exit $rc (serial log: $gres/serial.log)"
			fi
			for t in "$gres/$a"/*.tap; do
				[ -e "$t" ] && taps+=("$t")
			done
		done
	done
}

# run_multi LANE KVER SEL...: x86-64 guest entries (AREA or AREA/TEST) of a
# lane's list in one boot (guest-tests.sh -m), results in $RES/LANE/guest/;
# areas that need a machine of their own (doorbell, intremap) are not
# allowed in a list
run_multi() {
	local lane=$1 kver=$2 gres=$RES/$1/guest slow=1 s d n rc bad= sel_test
	shift 2
	[ "$lane" = debug ] && slow=3
	for s in "$@"; do
		d=selftests/guest/${s%%/*} sel_test=
		[ "$s" != "${s%%/*}" ] && sel_test=${s#*/}
		if [ ! -d "$d" ] || { [ -n "$sel_test" ] && [ ! -e "$d/$sel_test" ]; } ||
		   area_doorbell "$d/" || area_intremap "$d/" ||
		   ! area_arches "$d/" | grep -qx x86_64; then
			bad="$bad $s"
		fi
	done
	mkdir -p "$gres"
	if [ -n "$bad" ]; then
		note "$gres/vm.tap" 1 "$lane: selftests/lanes/$lane.list names what cannot run in one x86-64 boot:$bad"
		return
	fi
	n=$(printf '%s\n' "$@" | sed 's#/.*##' | sort -u | wc -l)
	echo "== $lane: guest: $n areas of selftests/lanes/$lane.list in one boot ($kver)"
	KVER=$kver GUEST_TEST_TIMEOUT=$((${GUEST_TEST_TIMEOUT:-600} * slow)) \
		VM_ENV="${VM_ENV:+$VM_ENV }GUEST_TEST_TIMEOUT" \
		scripts/vm-run -a x86_64 -q -t "$((AREA_TIMEOUT * slow * n))" -o "$gres" \
		-l "$gres/serial.log" -- scripts/guest-tests.sh -m "$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		note "$gres/vm.tap" 0 "$lane: guest booted, ran the list's tests, log clean"
	else
		note "$gres/vm.tap" 1 "$lane: vm-run exit $rc (serial log: $gres/serial.log)"
	fi
	for s in "$gres"/*/*.tap; do
		[ -e "$s" ] && taps+=("$s")
	done
}

# lane_kver LANE: set the lane up (its script prints its KVER last) and
# set $kver, or leave it empty with the reason in $lane_why
lane_kver() {
	local out rc
	kver= lane_why=
	if [ "$1" = stock ]; then
		kver=$STOCK_KVER
		return
	fi
	if [ ! -x "scripts/lane-$1.sh" ]; then
		lane_why="scripts/lane-$1.sh does not exist yet"
		return
	fi
	if [ "$1" = debug ] && [ -n "$debug_bg" ]; then
		echo "== debug: waiting for its kernel's build (log: $RES/debug-build.log)"
		wait "$debug_bg"
		rc=$?
		debug_bg=
		out=$(cat "$RES/debug-build.kver")
		cp "$RES/debug-build.log" "$RES/debug/setup.log"
		grep -h '^\[lane-debug\] built in' "$RES/debug-build.log"
	else
		echo "== $1: setting up its kernel (scripts/lane-$1.sh, log: $RES/$1/setup.log)"
		out=$(LANE_DEBUG_CACHED_ONLY=$cached_only "scripts/lane-$1.sh" 2> "$RES/$1/setup.log")
		rc=$?
	fi
	if [ $rc = 3 ] && [ "$1" = debug ]; then
		lane_why="its kernel is not built on this machine and SOCBPF_DEBUG_BUILD=0: 'make lane-debug' builds it (about 30 min on 2 cores)"
		return
	fi
	if [ $rc != 0 ] || [ -z "$out" ]; then
		lane_why="scripts/lane-$1.sh failed (log: $RES/$1/setup.log)"
		return
	fi
	kver=$(printf '%s\n' "$out" | tail -n 1)
}

# build_modules KVER: our modules (and the test-only ones) for that kernel
build_modules() {
	# not the KDIR a calling make exported: the one of that KVER
	env -u KDIR make -s -C "$TOP" KVER="$1" modules > "$RES/modules-$1.log" 2>&1
}

# The debug lane's kernel, on a machine that has not built it yet: a whole
# `make check` starts building it now, in the background at nice 19, so the
# build uses the cycles the stock and newest lanes leave idle (their guests
# mostly wait), and the debug lane, which runs last, waits for it. On 2
# cores that build overlaps most of the other lanes instead of adding half
# an hour. SOCBPF_DEBUG_BUILD=0 skips the lane on such a machine instead.
debug_bg=
case " $LANES " in
*" debug "*)
	mkdir -p "$RES/debug"
	if [ -z "$SEL" ] && [ "${SOCBPF_DEBUG_BUILD:-1}" != 0 ] &&
	   ! LANE_DEBUG_CACHED_ONLY=1 scripts/lane-debug.sh > /dev/null 2> "$RES/debug/setup.log"; then
		echo "==== lane debug: building its kernel in the background (log: $RES/debug-build.log)"
		nice -n 19 scripts/lane-debug.sh > "$RES/debug-build.kver" 2> "$RES/debug-build.log" &
		debug_bg=$!
	fi ;;
esac
cached_only=
[ "${SOCBPF_DEBUG_BUILD:-1}" = 0 ] && cached_only=1

# A whole `make check` runs the newest and debug lanes (one after the other)
# beside the stock lane, each in a copy of the tree of its own,
# build/lanes/<lane> (the sources, the built tools, .cache linked), where its
# modules are built for its kernel. Under TCG a guest keeps about one of two
# CPUs busy on average (its tests mostly wait), so two guests at a time take
# little longer than one. SOCBPF_LANES_SERIAL=1 runs every lane in this tree,
# one after the other, instead.
# make_lane_tree LANE: (re)make build/lanes/LANE
make_lane_tree() {
	local t=$TOP/build/lanes/$1
	rm -rf "$t" && mkdir -p "$t/build/selftests" || return 1
	(cd "$TOP" && git ls-files -z -co --exclude-standard |
		tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$t" || return 1
	ln -s "$(cd "$TOP/.cache" && pwd -P)" "$t/.cache" &&
		cp -a "$TOP/build/bin" "$t/build/" &&
		cp -a "$TOP/build/selftests/bin" "$t/build/selftests/"
}
side_pid= side_lanes=
if [ -z "${LANE:-}" ] && [ -z "$SEL" ] && [ "${SOCBPF_LANES_SERIAL:-0}" != 1 ] &&
   git -C "$TOP" rev-parse --git-dir > /dev/null 2>&1; then
	side_lanes="newest debug"
	for l in $side_lanes; do
		make_lane_tree "$l" || side_lanes=
	done
fi
if [ -n "$side_lanes" ]; then
	LANES=stock
	echo "==== lanes $side_lanes: beside the stock lane, in build/lanes/<lane> (logs: $RES/<lane>.log)"
	(
		for l in $side_lanes; do
			LANE=$l SOCBPF_SIDE_LANE=1 "$TOP/build/lanes/$l/scripts/check.sh" \
				> "$RES/$l.log" 2>&1
		done
	) &
	side_pid=$!
fi

rebuilt=
# mins SINCE: whole minutes and seconds from the epoch time SINCE to now
mins() {
	local d=$(($(date +%s) - $1))
	printf '%d min %02d s' $((d / 60)) $((d % 60))
}
for lane in $LANES; do
	mkdir -p "$RES/$lane"
	echo "==== lane $lane"
	lane_t0=$(date +%s)
	lane_kver "$lane"
	if [ -z "$kver" ]; then
		case "$lane_why" in
		*"does not exist yet")
			echo "==== lane $lane skipped: $lane_why"
			continue ;;
		*"not built on this machine"*)
			echo "==== lane $lane skipped: $lane_why"
			mkdir -p "$RES/$lane"
			{
				echo "TAP version 13"
				echo "1..1"
				echo "ok 1 - lane $lane # SKIP $lane_why"
			} > "$RES/$lane/setup.tap"
			taps+=("$RES/$lane/setup.tap")
			continue ;;
		esac
		note "$RES/$lane/setup.tap" 1 "lane $lane: $lane_why"
		continue
	fi
	arches=x86_64
	[ "$lane" = stock ] && arches="x86_64 arm64"
	if [ "$lane" != stock ]; then
		rebuilt=1
		if ! build_modules "$kver"; then
			note "$RES/$lane/modules.tap" 1 \
				"lane $lane: modules do not build for $kver (log: $RES/modules-$kver.log)"
			continue
		fi
		note "$RES/$lane/modules.tap" 0 "lane $lane: modules built for $kver"
	fi
	if [ -n "$SEL" ]; then
		run_sel "$lane" "$kver" "$arches" "$SEL"
	elif [ "$lane" = stock ] || [ ! -f "selftests/lanes/$lane.list" ]; then
		run_sel "$lane" "$kver" "$arches" ""
	else
		# the list's runner entries one by one, then every guest entry in
		# one boot: on the debug kernel a boot and a kmemleak scan cost
		# about a minute each
		multi=()
		while read -r s; do
			case "$s" in
			runner|runner/*) run_sel "$lane" "$kver" "$arches" "$s" ;;
			*) multi+=("$s") ;;
			esac
		done < <(sed 's/#.*//; /^[[:space:]]*$/d' "selftests/lanes/$lane.list")
		[ ${#multi[@]} -eq 0 ] || run_multi "$lane" "$kver" "${multi[@]}"
	fi
	echo "==== lane $lane took $(mins "$lane_t0")"
done
# the lanes that ran beside: their progress, results and taps
if [ -n "$side_pid" ]; then
	echo "==== waiting for lanes $side_lanes"
	wait "$side_pid"
	echo "==== lanes $side_lanes ended $(mins "$check_t0") after the start"
	for l in $side_lanes; do
		t=$TOP/build/lanes/$l/build/results
		grep -aE '^=+ ' "$RES/$l.log"
		rm -rf "$RES/${l:?}"
		if [ -f "$t/taps.list" ] && cp -a "$t/$l" "$RES/$l"; then
			while read -r p; do
				taps+=("$RES/${p#"$t"/}")
			done < "$t/taps.list"
		else
			note "$RES/$l/lane.tap" 1 "lane $l did not finish (log: $RES/$l.log)"
		fi
	done
fi
[ -n "$debug_bg" ] && wait "$debug_bg"

# leave the tree's modules built for the stock kernel, as make leaves them
# (a side lane's tree is scratch)
[ -n "${SOCBPF_SIDE_LANE:-}" ] && rebuilt=
if [ -n "$rebuilt" ] && ! build_modules "$STOCK_KVER"; then
	note "$RES/stock/modules-restore.tap" 1 \
		"modules do not rebuild for $STOCK_KVER (log: $RES/modules-$STOCK_KVER.log)"
fi

if [ ${#taps[@]} -eq 0 ]; then
	echo "check: nothing matched '$SEL' on lane(s) $LANES" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# the taps, for a calling check.sh (a side lane's)
printf '%s\n' "${taps[@]}" > "$RES/taps.list"

# Show what failed, with its diagnostics, before the summary.
for t in "${taps[@]}"; do
	if grep -q '^not ok' "$t" || { [ -f "${t%.tap}.rc" ] && [ "$(cat "${t%.tap}.rc")" != 0 ]; }; then
		echo "---- ${t#"$RES"/}"
		grep -E '^(not ok|#)' "$t" | tail -n 40
	fi
done
echo "---- results ($(mins "$check_t0"))"
TAP_SUMMARY_STRIP=$RES/ scripts/tap-summary "${taps[@]}"
