# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The harness's target architecture, ARCH (default x86_64; riscv64,
# s390x, ppc64le are cross-built and run under QEMU TCG): the kernel's
# ARCH, the cross compiler, the kernel image, QEMU's machine, the kernel
# console and the guest's TAP device.  x86-64 boots with busybox and
# scripts/guest/init; the others with scripts/guest/ninit.c (nolibc).
# Sourced by lib.sh.

ARCH=${ARCH:-x86_64}
# shellcheck disable=SC2034
case $ARCH in
x86 | x86_64)
	ARCH=x86_64 KARCH=x86_64 CROSS_COMPILE=
	KIMAGE=arch/x86/boot/bzImage QEMU_SYSTEM=qemu-system-x86_64
	QEMU_MACHINE="-cpu ${QEMU_CPU:-max}" KCMDLINE=console=ttyS0 ;;
riscv64)
	# One 16550 UART: the console; the TAP on a virtio console.
	KARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-
	KIMAGE=arch/riscv/boot/Image QEMU_SYSTEM=qemu-system-riscv64
	QEMU_MACHINE="-M virt -bios default ${QEMU_CPU:+-cpu $QEMU_CPU}"
	KCMDLINE="console=ttyS0 SYSVM_TAP=/dev/hvc0" ;;
s390x)
	# The console on the SCLP VT220 terminal, the TAP on virtio-ccw.
	KARCH=s390 CROSS_COMPILE=s390x-linux-gnu-
	KIMAGE=arch/s390/boot/bzImage QEMU_SYSTEM=qemu-system-s390x
	QEMU_MACHINE="-M s390-ccw-virtio ${QEMU_CPU:+-cpu $QEMU_CPU}"
	KCMDLINE="console=ttysclp0 SYSVM_TAP=/dev/hvc0" ;;
ppc64le)
	# Two PAPR virtual terminals: the console, the TAP.
	KARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-
	KIMAGE=vmlinux QEMU_SYSTEM=qemu-system-ppc64
	QEMU_MACHINE="-M pseries ${QEMU_CPU:+-cpu $QEMU_CPU}"
	KCMDLINE="console=hvc0 SYSVM_TAP=/dev/hvc1" ;;
*)
	echo "error: ARCH=$ARCH: not x86_64, riscv64, s390x, ppc64le" >&2
	exit 1 ;;
esac
# The stress test's time per variant, twice x86's: TCG emulates these
# more slowly.  The kernel hands the variable to init, init to the tests.
[ "$ARCH" = x86_64 ] ||
	KCMDLINE="$KCMDLINE SYSVM_STRESS_SECONDS=$((${SYSVM_STRESS_SECONDS:-8} * 2))"
# A cross compiler's driver unpacked by scripts/cross-gcc
[ -z "$CROSS_COMPILE" ] ||
	PATH=$SYSVM_CACHE/cross/${CROSS_COMPILE%-}/bin:$PATH
export ARCH CROSS_COMPILE PATH

# QEMU's serial ports: the kernel's console to $1, the TAP to $2 (and on
# x86 a vmrun command's output to $3).
qemu_ports()
{
	case $ARCH in
	x86_64)
		echo "-serial file:$1 -serial file:$2 -serial file:$3" ;;
	ppc64le)
		echo "-serial file:$1 -serial file:$2" ;;
	*)
		# virtio-mmio on riscv's virt, virtio-ccw on s390; one port, so
		# that it comes up in the probe, before /init
		echo "-serial file:$1 -device virtio-serial-$([ "$ARCH" = s390x ] && echo ccw || echo device),max_ports=1" \
			"-chardev file,id=tap,path=$2 -device virtconsole,chardev=tap" ;;
	esac
}

# The initramfs where there is no busybox: scripts/guest/ninit.c, built
# with the tree's nolibc, as /init, and the selftests.
make_ninit_initramfs()
{
	[ -z "${VM_CMD:-}${VM_SHELL:-}${VM_FILES:-}${KSFT_ARGS:-}" ] ||
		die "vmrun and KSFT_ARGS: x86_64 only"
	_root=$RUN_DIR/initramfs
	rm -rf "$_root"
	mkdir -p "$_root/dev" "$_root/proc" "$_root/sys" "$_root/tmp"
	"${CROSS_COMPILE}gcc" -Os -Wall -static -nostdlib -nostdinc \
		-fno-stack-protector -I"$TREE/tools/include/nolibc" \
		-I"$OUT/usr/include" "$SCRIPTS/guest/ninit.c" -lgcc \
		-o "$_root/init"
	cp -a "$KSFT" "$_root/kselftest"
	(cd "$_root" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -n -6 >"$RUN_DIR/initramfs.cpio.gz"
	setvar INITRD "$RUN_DIR/initramfs.cpio.gz"
	info "$INITRD: $(stat -c %s "$INITRD") bytes, /init from guest/ninit.c"
}
