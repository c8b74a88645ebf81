// LibbpfAgentTest's program: counts the syscalls of one process (target_tgid, written by the test) into
// a .bss variable, and copies a .data setting into .bss on each, so a test sees the agent run.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 target_tgid SEC(".data.target") = 0xffffffff; // a section of its own; no process has this tgid
__u64 setting = 7;       // .data
__u64 syscalls;          // .bss
__u64 seen_setting;      // .bss

SEC("raw_tp/sys_enter")
int count_syscalls(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&syscalls, 1);
	seen_setting = setting;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
