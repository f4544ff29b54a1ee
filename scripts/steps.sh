# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The steps of the harness: fetch, apply, configure, build, initramfs,
# boot.  Each runs under step() (see lib.sh) with its output in its log;
# results for later steps are recorded with setvar.

# linux-source-6.12 is trixie's own kernel, updated in trixie-security;
# newer ones come from trixie-backports.
case $KVER in
6.12) DEBIAN_SUITE=${DEBIAN_SUITE:-trixie-security} ;;
*) DEBIAN_SUITE=${DEBIAN_SUITE:-trixie-backports} ;;
esac
case $DEBIAN_SUITE in
*-security) DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian-security} ;;
*) DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian} ;;
esac
# The private apt state, one per suite.
APT_DIR=$SYSVM_CACHE/apt/$DEBIAN_SUITE
# CPUs of the guest (the verdict fails when fewer come up).
QEMU_SMP=${QEMU_SMP:-2}
# QEMU's accelerator; pick_accel switches to KVM with KVM=1.
ACCEL=tcg
# Bumped when the unpacked tree changes, so that old caches are redone.
SRC_LAYOUT=layout-2

# ---------------------------------------------------------------- fetch

apt_private()
{
	_apt=$APT_DIR
	"$@" -o Dir::Etc::sourcelist="$_apt/sources.list" \
		-o Dir::Etc::sourceparts=- \
		-o Dir::Etc::preferencesparts=/dev/null \
		-o Dir::State::Lists="$_apt/lists" \
		-o Dir::Cache="$_apt/cache" \
		-o Dir::State::status=/dev/null \
		-o APT::Sandbox::User=root
}

# The newest linux-source-$KVER of the suite; the apt lists are refreshed
# once a day (FETCH_REFRESH=1 forces it).
deb_candidate()
{
	_apt=$APT_DIR
	mkdir -p "$_apt/lists/partial" "$_apt/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $DEBIAN_SUITE main" \
		>"$_apt/sources.list"
	if [ -z "${FETCH_REFRESH:-}" ] &&
	   [ -n "$(find "$_apt/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440)" ]; then
		echo "apt lists are less than a day old, not refreshing them"
	elif ! apt_private apt-get -q update; then
		return 1
	fi
	apt_private apt-cache policy "linux-source-$KVER"
	DEB_VERSION=$(apt_private apt-cache policy "linux-source-$KVER" |
		sed -n 's/^ *Candidate: //p')
	[ -n "$DEB_VERSION" ] && [ "$DEB_VERSION" != "(none)" ]
}

deb_download()
{
	_pkg=linux-source-$KVER
	_dir=$SYSVM_CACHE/deb
	mkdir -p "$_dir"
	DEB=$_dir/${_pkg}_${DEB_VERSION}_all.deb
	_want=$(apt_private apt-cache show "$_pkg=$DEB_VERSION" |
		sed -n 's/^SHA256: //p' | head -n 1)
	if [ -f "$DEB" ] && [ "$(sha256 "$DEB")" = "$_want" ]; then
		echo "$DEB already downloaded"
		return 0
	fi
	rm -f "$DEB"
	(cd "$_dir" && apt_private apt-get -q download "$_pkg=$DEB_VERSION")
	[ -f "$DEB" ] || die "apt-get download did not produce $DEB"
}

# Drop Debian's last .gitignore block (which ignores everything at the
# top level but debian/) so that the base is upstream's .gitignore.
drop_debian_gitignore()
{
	_gi=$1/.gitignore
	_start=$(grep -n '^# Debian packaging: ignore everything at the top level' "$_gi" |
		tail -n 1 | cut -d: -f1)
	if [ -z "$_start" ]; then
		echo "no Debian block in .gitignore"
		return 0
	fi
	_start=$((_start - 1))
	sed -n "${_start},\$p" "$_gi" | grep -qx '/\*' ||
		die ".gitignore: Debian block does not hold '/*'"
	sed -n "${_start},\$p" "$_gi"
	sed -i "${_start},\$d" "$_gi"
	# Upstream's file ends in a non-blank line.
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$_gi"
}

# Unpack the .deb's tarball into a git repository whose first commit,
# tagged "base", is the whole tree.  The stamp is written last, so an
# interrupted unpack is redone.
deb_unpack()
{
	_sha=$(sha256 "$DEB")
	SRC_ID=$DEB_VERSION-$(echo "$_sha" | cut -c1-12)
	_dir=$SYSVM_CACHE/src/$SRC_ID
	TREE_REPO=$_dir/linux
	# The tree's lock (tree_lock), for the unpack only: the caller takes
	# it again for its own use of the tree.
	lock 8 "$_dir.lock"
	if [ "$(cut -d' ' -f3 "$_dir/.done" 2>/dev/null)" = "$SRC_LAYOUT" ]; then
		echo "$TREE_REPO already unpacked"
		return 0
	fi
	info "unpacking $(basename "$DEB") (sha256 $_sha)"
	rm -rf "$_dir"
	mkdir -p "$_dir"
	dpkg-deb --fsys-tarfile "$DEB" |
		tar -xO "./usr/src/linux-source-$KVER.tar.xz" |
		xz -dc | tar -x -C "$_dir"
	mv "$_dir/linux-source-$KVER" "$TREE_REPO"
	drop_debian_gitignore "$TREE_REPO"
	_date="@$(stat -c %Y "$TREE_REPO/Makefile") +0000"
	(
		cd "$TREE_REPO" || exit
		git init -q -b master .
		git config gc.auto 0
		# All of the tarball, dot files included (upstream's .gitignore
		# ignores ".*" but lists the tracked ones only as exceptions).
		git add -A -f .
		harness_ident
		GIT_AUTHOR_DATE=$_date GIT_COMMITTER_DATE=$_date \
			git commit -q -m "Linux $(kernel_version .) (Debian linux-source-$KVER $DEB_VERSION)"
		git tag base
		[ -z "$(git status --porcelain)" ] ||
			die "tree not clean after the base commit"
		echo "base commit holds $(git ls-files | wc -l) files"
	)
	echo "$DEB_VERSION $_sha $SRC_LAYOUT" >"$_dir/.done"
}

kernel_version()
{
	sed -n -e 's/^VERSION = //p' -e 's/^PATCHLEVEL = //p' \
		-e 's/^SUBLEVEL = //p' "$1/Makefile" | paste -sd.
}

fetch_deb()
{
	if ! deb_candidate; then
		# Offline: fall back to the source unpacked last time.
		[ -f "$SYSVM_CACHE/src/current-$KVER" ] ||
			die "cannot reach $DEBIAN_MIRROR and nothing cached"
		read -r DEB_VERSION DEB < "$SYSVM_CACHE/src/current-$KVER"
		info "WARNING: apt update failed, using cached $DEB_VERSION"
	fi
	case $DEB_VERSION in
	"$KVER".*) ;;
	*) die "linux-source-$KVER is $DEB_VERSION, expected $KVER.x" ;;
	esac
	[ -f "${DEB:-}" ] || deb_download
	deb_unpack
	echo "$DEB_VERSION $DEB" >"$SYSVM_CACHE/src/current-$KVER"
	_kv=$(kernel_version "$TREE_REPO")
	case $_kv in
	"$KVER".*) ;;
	*) die "the tree is Linux $_kv, expected $KVER.x" ;;
	esac
	setvar TREE_REPO "$TREE_REPO"
	setvar BASE "$(git -C "$TREE_REPO" rev-parse base)"
	setvar SRC_ID "$SRC_ID"
	setvar SRC_DESC "Linux $_kv from linux-source-$KVER $DEB_VERSION, .deb sha256 $(cut -d' ' -f2 "$SYSVM_CACHE/src/$SRC_ID/.done")"
	info "$SRC_DESC"
}

fetch_ksrc()
{
	_repo=$(cd "$KSRC" && pwd -P)
	git -C "$_repo" rev-parse --git-dir >/dev/null 2>&1 ||
		die "KSRC=$KSRC is not a git tree"
	[ -z "$(git -C "$_repo" status --porcelain --untracked-files=no)" ] ||
		die "KSRC=$KSRC has uncommitted changes; commit or stash them"
	setvar TREE_REPO "$_repo"
	setvar BASE "$(git -C "$_repo" rev-parse --verify "$KBASE^{commit}")"
	setvar SRC_ID "ksrc-$(echo "$_repo" | sha256sum | cut -c1-12)"
	setvar SRC_DESC "Linux $(kernel_version "$_repo") from $_repo at $KBASE ($BASE)"
	info "$SRC_DESC"
}

fetch_source()
{
	if [ -n "$KSRC" ]; then
		fetch_ksrc
	else
		fetch_deb
	fi
	echo "$SRC_DESC" >"$RUN_DIR/source.txt"
}

# ---------------------------------------------------------------- apply

# The lock of the tree the series is applied to (see series_tree): a run
# holds it while it applies the series and builds.
tree_lock()
{
	if [ -n "$KSRC" ]; then
		echo "$SYSVM_CACHE/trees/$SRC_ID.lock"
	else
		echo "$SYSVM_CACHE/src/$SRC_ID.lock"
	fi
}

# The tree the series is applied to: the cache's own repository for the
# Debian source, a worktree in the cache for KSRC (never the user's
# checkout).
series_tree()
{
	if [ -z "$KSRC" ]; then
		TREE=$TREE_REPO
		return 0
	fi
	TREE=$SYSVM_CACHE/trees/$SRC_ID
	git -C "$TREE" rev-parse --git-dir >/dev/null 2>&1 && return 0
	rm -rf "$TREE"
	git -C "$TREE_REPO" worktree prune
	git -C "$TREE_REPO" worktree add --detach "$TREE" "$BASE"
}

apply_series()
{
	series_tree
	setvar TREE "$TREE"
	cd "$TREE" || exit
	_sha=$(series_sha)
	_rec=$(git rev-parse --absolute-git-dir)/sysvm-series
	if [ -f "$_rec" ] &&
	   [ "$(cat "$_rec")" = "$_sha $BASE $(git rev-parse HEAD)" ] &&
	   [ "$(git symbolic-ref -q HEAD)" = "refs/heads/$BRANCH" ] &&
	   [ -z "$(git status --porcelain)" ]; then
		info "series already applied on $BRANCH ($(git rev-list --count "$BASE..HEAD") patches)"
		return 0
	fi
	rm -f "$_rec"
	git am --abort >/dev/null 2>&1 || true
	# The series is applied in a scratch worktree; the tree then moves
	# to the result, which rewrites only the files that differ, so that
	# a change to one patch rebuilds only what that change touches.
	scratch_worktree apply
	harness_ident
	_n=0
	while read -r _p; do
		_n=$((_n + 1))
		echo "applying $(basename "$_p")"
		if ! git am -q "$_p"; then
			git am --abort || true
			die "$(basename "$_p") does not apply (see git's message above)"
		fi
	done <"$(series_list)"
	_tip=$(git rev-parse HEAD)
	unlock 8 "$WT.lock"
	cd "$TREE" || exit
	git checkout -q -f -B "$BRANCH" "$_tip"
	git clean -fdq
	[ "$_n" -gt 0 ] || info "no patches in $PATCHES: testing the base kernel"
	git log --reverse --oneline "$BASE..HEAD" | sed 's/^/    /' >&3
	echo "$_sha $BASE $(git rev-parse HEAD)" >"$_rec"
}

# ------------------------------------------------------------ configure

# kvm_guest.config on x86-64 only: elsewhere it brings PCI, networking,
# 9p and DRM into a cross-build run under TCG.
config_fragments()
{
	[ "$ARCH" != x86_64 ] || echo "$TREE/kernel/configs/kvm_guest.config"
	_f=$TREE/tools/testing/selftests/ptrace/config
	[ -f "$_f" ] && echo "$_f"
	echo "$SCRIPTS/vm.config"
	[ "$ARCH" != x86_64 ] || echo "$SCRIPTS/hostroot.config"
	echo "$SCRIPTS/arch/$ARCH.config"
	for _f in $CONFIG_FRAGMENTS; do
		(cd "$REPO" && readlink -f "$_f")
	done
}

# Every option of every fragment must be in the final .config.
# kvm_guest.config is upstream's fragment for all architectures: options
# of it that cannot be set here (S390_GUEST, DRM_VIRTIO_GPU without DRM...)
# are reported but do not fail, and so are options of the selftests'
# fragment that another architecture does not have (IA32_EMULATION).
check_config()
{
	_bad=0
	for _frag in $(config_fragments); do
		sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
		       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' \
		       "$_frag" >"$RUN_DIR/frag.tmp"
		while read -r _sym _val; do
			if [ "$_val" = n ]; then
				grep -q "^$_sym=" "$OUT/.config" || continue
			else
				grep -qxF "$_sym=$_val" "$OUT/.config" && continue
			fi
			_got=$(grep -E "^$_sym=|^# $_sym is not set" "$OUT/.config" || echo "absent")
			if [ "$(basename "$_frag")" = kvm_guest.config ]; then
				echo "note: $_frag: $_sym=$_val not set ($_got)"
				continue
			fi
			if [ "$ARCH" != x86_64 ] && [ "$_got" = absent ] &&
			   [ "$_frag" = "$TREE/tools/testing/selftests/ptrace/config" ]; then
				info "note: $_sym is not an option on $ARCH"
				continue
			fi
			# An option of later kernels (6.12 builds Syscall User
			# Dispatch with the generic entry code, no option).
			if [ "$_got" = absent ] && ! grep -rqsE --include='Kconfig*' \
			   "^(menu)?config ${_sym#CONFIG_}[[:space:]]*$" "$TREE"; then
				info "note: $_frag: $_sym is not an option of this kernel"
				continue
			fi
			info "MISSING: $_frag: $_sym=$_val, .config has: $_got"
			_bad=$((_bad + 1))
		done <"$RUN_DIR/frag.tmp"
	done
	rm -f "$RUN_DIR/frag.tmp"
	[ "$_bad" -eq 0 ] || die "$_bad config options did not survive olddefconfig"
}

# One build directory per tree and set of extra fragments, keyed by the
# fragments' contents, not their paths, so that any clone of this
# repository finds the same build directory; -ARCH but on x86-64.  A run
# holds its lock ($OUT.lock) from the configuration to the end.
build_dir()
{
	_a=
	[ "$ARCH" = x86_64 ] || _a=-$ARCH
	if [ -z "$CONFIG_FRAGMENTS" ]; then
		echo "$SYSVM_CACHE/out/$SRC_ID$_a"
	else
		# shellcheck disable=SC2086
		echo "$SYSVM_CACHE/out/$SRC_ID$_a-$(cd "$REPO" && cat $CONFIG_FRAGMENTS | sha256sum | cut -c1-8)"
	fi
}

# The configuration is made in a scratch output directory and copied to
# the build directory only when it changed, so that an unchanged
# configuration costs no rebuild.
configure_kernel()
{
	setvar OUT "$(build_dir)"
	_cfg=$OUT/config-scratch
	mkdir -p "$_cfg"
	_o=$OUT
	OUT=$_cfg
	kmake tinyconfig
	# shellcheck disable=SC2046
	(cd "$TREE" && ARCH=$KARCH scripts/kconfig/merge_config.sh -m \
		-O "$_cfg" "$_cfg/.config" $(config_fragments))
	kmake olddefconfig
	check_config
	OUT=$_o
	if cmp -s "$_cfg/.config" "$OUT/.config"; then
		info "configuration unchanged"
	else
		cp "$_cfg/.config" "$OUT/.config"
		info "configuration: $(grep -c '=y$' "$OUT/.config") options =y"
	fi
	info "fragments: $(config_fragments | sed -e "s|^$TREE/||" -e "s|^$REPO/||" | paste -sd' ')"
}

# ---------------------------------------------------------------- build

build_kernel()
{
	kmake -j"$JOBS" "$(basename "$KIMAGE")"
	setvar BZIMAGE "$OUT/$KIMAGE"
	setvar KRELEASE "$(kmake -s kernelrelease)"
	info "$BZIMAGE: $KRELEASE, $(stat -c %s "$BZIMAGE") bytes"
}

# Statically linked ptrace selftests (64-bit and ia32), built against the
# patched kernel's headers and installed with the kselftest runner.
build_selftests()
{
	kmake -j"$JOBS" headers
	# Tiny and not tracking header dependencies: always rebuilt.
	rm -rf "$OUT/kselftest"
	$MAKE -C "$TREE/tools/testing/selftests" O="$OUT" ARCH="$KARCH" \
		-j"$JOBS" TARGETS=ptrace USERLDFLAGS=-static install
	_k=$OUT/kselftest/kselftest_install
	[ -s "$_k/kselftest-list.txt" ] || die "no tests in $_k/kselftest-list.txt"
	while IFS=: read -r _c _t; do
		[ -x "$_k/$_c/$_t" ] || die "$_c/$_t was not built"
		if readelf -l "$_k/$_c/$_t" | grep -q INTERP; then
			die "$_c/$_t is not statically linked"
		fi
	done <"$_k/kselftest-list.txt"
	setvar KSFT "$_k"
	info "tests: $(cut -d: -f2 "$_k/kselftest-list.txt" | paste -sd' ')"
}

# ------------------------------------------------------------ initramfs

# VM_FILES: newline separated host files copied to the guest's root.
# VM_CMD: a shell command run instead of the selftests (scripts/vmrun).
# VM_SHELL=1: an interactive shell instead.
make_initramfs()
{
	[ "$ARCH" = x86_64 ] || { make_ninit_initramfs; return; }
	_root=$RUN_DIR/initramfs
	rm -rf "$_root"
	mkdir -p "$_root/bin" "$_root/harness"
	cd "$_root" || exit
	mkdir -p dev proc sys tmp root etc sbin usr/bin usr/sbin
	cp /bin/busybox bin/busybox
	for _a in $(busybox --list-full); do
		[ -e "$_a" ] || ln -s /bin/busybox "$_a"
	done
	# The kselftest runner calls "timeout --foreground", which busybox's
	# timeout does not know.
	rm -f usr/bin/timeout
	install -m 755 "$SCRIPTS/guest/timeout" usr/bin/timeout
	install -m 755 "$SCRIPTS/guest/init" init
	cp -a "$KSFT" kselftest
	_args=${KSFT_ARGS:-}
	# A longer stress run (SYSVM_STRESS_SECONDS per stress case, up to
	# four times that, two cases per binary) needs a longer per-test
	# timeout than the 45 s default of the kselftest runner.
	# (A soak, SYSVM_STRESS_OPS, brings its own.)
	if [ -n "${SYSVM_STRESS_SECONDS:-}" ] && [ -z "${SYSVM_STRESS_OPS:-}" ]; then
		_args="$_args --override-timeout $((SYSVM_STRESS_SECONDS * 8 + 120))"
	fi
	echo "$_args" >harness/ksft-args
	: >harness/env
	for _v in SYSVM_STRESS_SECONDS SYSVM_STRESS_SEED SYSVM_STRESS_OPS; do
		eval "_val=\${$_v:-}"
		# shellcheck disable=SC2154
		[ -z "$_val" ] || echo "export $_v='$_val'" >>harness/env
	done
	[ -n "${VM_CMD:-}" ] && printf '%s\n' "$VM_CMD" >harness/cmd
	[ "${VM_SHELL:-0}" = 1 ] && touch harness/shell
	[ "${VM_HOST_ROOT:-0}" = 1 ] && touch harness/hostroot
	printf '%s\n' "${VM_FILES:-}" | while read -r _f; do
		[ -n "$_f" ] || continue
		cp -a "$_f" "$_root/"
		info "added /$(basename "$_f")"
	done
	find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet |
		gzip -n -6 >"$RUN_DIR/initramfs.cpio.gz"
	setvar INITRD "$RUN_DIR/initramfs.cpio.gz"
	info "$INITRD: $(stat -c %s "$INITRD") bytes"
}

# ----------------------------------------------------------------- boot

# qemu_boot ACCEL TIMEOUT [QEMU ARGS...]; TIMEOUT 0: none (interactive).
qemu_boot()
{
	_accel=$1
	_timeout=$2
	shift 2
	# vmrun --host-root: the host's / for guest/init, read-only
	[ "${VM_HOST_ROOT:-0}" != 1 ] || set -- "$@" -virtfs \
		local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	# QEMU_ICOUNT=1: the guest clock counts instructions, 1 ns each
	[ "${QEMU_ICOUNT:-0}" != 1 ] || set -- -icount shift=0 "$@"
	# shellcheck disable=SC2086
	set -- "$QEMU_SYSTEM" $QEMU_MACHINE -accel "$_accel" \
		-m "${QEMU_MEM:-1G}" -smp "$QEMU_SMP" \
		-nodefaults -no-user-config -no-reboot -display none \
		-kernel "$BZIMAGE" -initrd "$INITRD" \
		-append "$KCMDLINE panic=-1 reboot=t ${KERNEL_CMDLINE:-}" \
		"$@"
	echo "$*"
	# --foreground: QEMU stays in the run's process group (timeout(1)
	# would make one of its own), so that a hangup of the group ends it.
	if [ "$_timeout" = 0 ]; then
		"$@"
	else
		timeout --foreground -k 10 "$_timeout" "$@"
	fi
}

# With KVM=1, KVM if a probe boot shows that it works.  Once per run,
# before the boot.
pick_accel()
{
	[ "${KVM:-0}" != 1 ] ||
		step accel "probe boot under KVM (20 s at most)" probe_kvm
}

# The built kernel with a trivial /init that prints a marker, under KVM,
# with a hard timeout: nested KVM can hang.
probe_kvm()
{
	_dir=$RUN_DIR/kvm-probe
	rm -rf "$_dir"
	mkdir -p "$_dir/root/bin"
	cp /bin/busybox "$_dir/root/bin/busybox"
	printf '#!/bin/busybox sh\necho SYSVM-KVM-PROBE-OK\n/bin/busybox reboot -f\n' \
		>"$_dir/root/init"
	chmod 755 "$_dir/root/init"
	(cd "$_dir/root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -n) \
		>"$_dir/initramfs.cpio.gz"
	INITRD=$_dir/initramfs.cpio.gz
	if [ ! -w /dev/kvm ]; then
		info "KVM=1, but /dev/kvm is not writable: using TCG"
	elif qemu_boot kvm 20 -serial "file:$_dir/console.log" -monitor none &&
	     grep -q SYSVM-KVM-PROBE-OK "$_dir/console.log"; then
		setvar ACCEL kvm
		info "KVM works: using it"
	else
		info "KVM=1, but a probe boot under KVM did not reach /init in 20 s: using TCG"
	fi
}

# Three serial ports (see guest/init): the kernel's console to
# console.log, the markers and the TAP to tap.log, the output of a vmrun
# command to vmrun.out.  A timeout is reported by the verdict (no end
# marker).
boot_guest()
{
	_t=${BOOT_TIMEOUT:-900}
	setvar CONSOLE "$RUN_DIR/console.log"
	setvar TAP "$RUN_DIR/tap.log"
	info "$QEMU_SYSTEM $QEMU_MACHINE -accel $ACCEL, timeout ${_t}s, TAP: $TAP, console: $CONSOLE"
	_rc=0
	# shellcheck disable=SC2046
	qemu_boot "$ACCEL" "$_t" $(qemu_ports "$CONSOLE" "$TAP" "$RUN_DIR/vmrun.out") \
		-monitor none || _rc=$?
	if [ "$_rc" -eq 124 ] || [ "$_rc" -eq 137 ]; then
		info "TIMEOUT: the guest was killed after ${_t}s"
	elif [ "$_rc" -ne 0 ]; then
		die "qemu exited with $_rc"
	fi
	_n=$(sed -n 's/^SYSVM-HARNESS: CPUS \([0-9]*\).*/\1/p' "$TAP")
	info "guest: ${_n:-?} CPUs, accel $ACCEL"
}

# ------------------------------------------------------ scratch worktrees

# A worktree of the base repository at the base, pristine (reset and
# cleaned when it already exists, which is cheaper than a new checkout).
scratch_worktree()
{
	_wt=$SYSVM_CACHE/scratch/$1-$SRC_ID
	lock 8 "$_wt.lock"
	if ! git -C "$_wt" rev-parse --git-dir >/dev/null 2>&1 ||
	   ! git -C "$_wt" cat-file -e "$BASE^{commit}" 2>/dev/null; then
		rm -rf "$_wt"
		git -C "$TREE_REPO" worktree prune
		git -C "$TREE_REPO" worktree add -q --detach "$_wt" "$BASE"
	fi
	cd "$_wt" || exit
	git am --abort >/dev/null 2>&1 || true
	git checkout -q -f --detach "$BASE"
	git clean -ffdqx
	[ -z "$(git status --porcelain --ignored)" ] || die "$_wt is not pristine"
	setvar WT "$_wt"
}
