# SPDX-License-Identifier: GPL-2.0
#
# PTRACE_SYSVM series: build Linux with the series and run its selftests.
#
#   make vmtest     patched kernel built and booted under QEMU, selftests run
#   make check      the whole test suite (what .ci/run runs)
#   make vmtest ARCH=riscv64   the same, cross-built, on QEMU -M virt
#
# Variables (see scripts/lib.sh): KVER SYSVM_CACHE KSRC KBASE KBRANCH
# PATCHES CONFIG_FRAGMENTS JOBS KVM QEMU_CPU QEMU_MEM BOOT_TIMEOUT KSFT_ARGS
# ARCH (x86_64, riscv64, s390x, ppc64le; see scripts/arch.sh)

# Expected upstream version prefix of Debian's linux-source-$(KVER).
KVER ?= 7.3
export KVER

.PHONY: all vmtest check hosttest bench vmrun-shell check-series test-verdict \
	export sync deps clean distclean series check-patches check-bisect mutate soak \
	battery

all: vmtest

vmtest:
	@scripts/vmtest

check:
	@scripts/check

hosttest:
	@scripts/hosttest

# Interception cost per mechanism, patched vs base kernel; see scripts/bench
bench:
	@scripts/bench-run

vmrun-shell:
	@scripts/vmrun --shell

check-series:
	@scripts/check-series

# checkpatch.pl --strict and changelog lint of every patch
check-patches:
	@scripts/check-patches

# each patch builds (+ uapi header test), no new W=1 warnings
check-bisect:
	@scripts/check-bisect

# every kernel mutant in series/mutants/ must fail the selftests
mutate:
	@scripts/mutate

# the stress test for a million resume requests on the debug kernel
soak:
	@scripts/soak

# strace, proot, gdb, UML and selftests on the base and the patched kernel
battery:
	@scripts/battery

# a send-ready series (your git identity, b4 prep and send -o) in SERIES_OUT
series:
	@scripts/make-series

test-verdict:
	@scripts/test-verdict

export:
	@scripts/export-series

sync:
	@scripts/sync-series

deps:
	@scripts/deps

# Build directories and run logs; the unpacked kernel source stays.
clean:
	rm -rf "$${SYSVM_CACHE:-/var/cache/ptrace-sysvm}/out" \
	       "$${SYSVM_CACHE:-/var/cache/ptrace-sysvm}/runs" \
	       "$${SYSVM_CACHE:-/var/cache/ptrace-sysvm}/scratch"

distclean:
	rm -rf "$${SYSVM_CACHE:-/var/cache/ptrace-sysvm}"
