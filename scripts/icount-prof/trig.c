// SPDX-License-Identifier: GPL-2.0
/*
 * trig 1|2: enter the system call tbprof's start (1) or stop (2) address
 * is set to (sched_get_priority_min/max: nothing else calls them).
 */
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long nr = argc > 1 && argv[1][0] == '2' ? SYS_sched_get_priority_max :
						   SYS_sched_get_priority_min;

	syscall(nr, 0);
	return 0;
}
