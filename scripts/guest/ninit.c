// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the harness's initramfs where there is no busybox (every
 * ARCH but x86_64, see scripts/arch.sh): mount /proc, /sys, /dev and
 * /tmp, run each test of /kselftest/kselftest-list.txt and print its TAP
 * as the kselftest runner does, between the markers scripts/verdict
 * reads, then power off.
 *
 * The markers and the TAP go to SYSVM_TAP (a device named on the kernel
 * command line, which hands it to init as an environment variable),
 * else to the console.  A test gets SYSVM_TIMEOUT seconds (default 300:
 * TCG runs another ISA several times slower), then its process group is
 * killed.
 *
 * Built with nolibc (tools/include/nolibc of the tree under test): no C
 * library of the target is needed, and the binary is a few kilobytes.
 */
#include <asm/ioctls.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KSFT_DIR "/kselftest"
#define KSFT_SKIP 4

static int tap = 1;

/* The first line of a small file, without its newline; "" if unreadable. */
static char *read_line(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY);
	int n = fd < 0 ? 0 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (strchr(buf, '\n'))
		*strchr(buf, '\n') = '\0';
	return buf;
}

/* The CPUs in /sys/devices/system/cpu/online ("0-1", "0,2-3"). */
static int cpus_online(void)
{
	char buf[256], *p;
	int n = 0;

	p = read_line("/sys/devices/system/cpu/online", buf, sizeof(buf));
	while (*p >= '0' && *p <= '9') {
		long first = strtol(p, &p, 10), last = first;

		if (*p == '-')
			last = strtol(p + 1, &p, 10);
		n += last - first + 1;
		if (*p == ',')
			p++;
	}
	return n;
}

/* Copy the test's output to the TAP, each line prefixed with "# ". */
static void copy_output(const char *buf, int len, int *bol)
{
	char out[3 * 1024];	/* "# \n" for each '\n' of a full buffer */
	int i, n = 0;

	for (i = 0; i < len; i++) {
		if (*bol) {
			out[n++] = '#';
			out[n++] = ' ';
		}
		out[n++] = buf[i];
		*bol = buf[i] == '\n';
	}
	write(tap, out, n);
}

/*
 * Run PROG in DIR with its output on the TAP.  Returns its wait status,
 * or -1 if it timed out.
 */
static int run_test(const char *dir, const char *prog, int timeout)
{
	time_t end = time(NULL) + timeout;
	int pfd[2], status, bol = 1, timedout = 0, exited = 0;
	char buf[1024];
	pid_t pid;

	if (pipe(pfd) < 0)
		return 127 << 8;
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)prog, NULL };

		setpgid(0, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		if (chdir(dir) == 0)
			execve(prog, argv, environ);
		dprintf(2, "ninit: cannot run %s/%s: %s\n", dir, prog, strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	/*
	 * Until the test exits and its output is read, or time is up; a
	 * process it leaves behind (vmaccess's tracee stuck in execve) may
	 * hold the pipe open.
	 */
	while (pid > 0) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		int left = end - time(NULL), n;

		if (left <= 0) {
			timedout = 1;
			break;
		}
		if (poll(&p, 1, exited ? 0 : 1000) <= 0) {
			if (exited)
				break;
			exited = waitpid(pid, &status, WNOHANG) == pid;
			continue;
		}
		n = read(pfd[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		copy_output(buf, n, &bol);
	}
	if (!bol)
		write(tap, "\n", 1);
	close(pfd[0]);
	/* What the test left behind in its process group goes too. */
	kill(-pid, SIGKILL);
	if (!exited && (pid < 0 || waitpid(pid, &status, 0) < 0))
		status = 127 << 8;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return timedout ? -1 : status;
}

/* "ok N selftests: COLLECTION: TEST" and friends; returns 1 on a failure. */
static int run_entry(int n, char *entry, int timeout)
{
	char *test = strchr(entry, ':'), dir[256];
	int status, code;

	if (!test)
		return 1;
	*test++ = '\0';
	dprintf(tap, "# selftests: %s: %s\n", entry, test);
	snprintf(dir, sizeof(dir), "%s/%s", KSFT_DIR, entry);
	status = run_test(dir, test, timeout);
	if (status == -1) {
		dprintf(tap, "not ok %d selftests: %s: %s # TIMEOUT %d seconds\n",
			n, entry, test, timeout);
		return 1;
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (code == 0 || code == KSFT_SKIP) {
		dprintf(tap, "ok %d selftests: %s: %s%s\n", n, entry, test,
			code ? " # SKIP" : "");
		return 0;
	}
	dprintf(tap, "not ok %d selftests: %s: %s # exit=%d\n", n, entry, test, code);
	return 1;
}

int main(void)
{
	char list[4096], buf[256], *line, *next;
	const char *dev = getenv("SYSVM_TAP");
	const char *t = getenv("SYSVM_TIMEOUT");
	int timeout = t ? atoi(t) : 300;
	int fd, n = 0, i = 0, rc = 0;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	if (dev) {
		/* A port of a virtio console may come up after init starts. */
		for (i = 0; i < 50 && (tap = open(dev, O_WRONLY)) < 0; i++)
			msleep(100);
		if (tap < 0) {
			dprintf(1, "ninit: cannot open %s: %s, TAP on the console\n",
				dev, strerror(errno));
			tap = 1;
		}
	}
	dprintf(tap, "SYSVM-HARNESS: BEGIN %s\n",
		read_line("/proc/sys/kernel/osrelease", buf, sizeof(buf)));
	dprintf(tap, "SYSVM-HARNESS: CPUS %d\n", cpus_online());

	fd = open(KSFT_DIR "/kselftest-list.txt", O_RDONLY);
	i = fd < 0 ? 0 : read(fd, list, sizeof(list) - 1);
	list[i > 0 ? i : 0] = '\0';
	for (line = list; *line; line++)
		n += *line == '\n';
	dprintf(tap, "TAP version 13\n1..%d\n", n);
	for (i = 0, line = list; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		rc |= run_entry(++i, line, timeout);
	}

	dprintf(tap, "SYSVM-HARNESS: TAINTED %s\n",
		read_line("/proc/sys/kernel/tainted", buf, sizeof(buf)));
	dprintf(tap, "SYSVM-HARNESS: END rc=%d\n", rc);
	ioctl(tap, TCSBRK, 1);	/* tcdrain(): the TAP's last line out */
	reboot(RB_POWER_OFF);
	return 0;
}
