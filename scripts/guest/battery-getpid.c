// SPDX-License-Identifier: GPL-2.0
/*
 * The tracee of scripts/guest/battery's gdb and strace fault injection
 * cases: one getpid() system call, its result printed.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("getpid %ld\n", (long)getpid());
	return 0;
}
