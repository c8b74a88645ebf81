// PrometheusScrapeIT's agent: counts the syscalls of one process (target_tgid, written by the test; no
// process has the initial tgid, so it counts nothing until told) as an agent exporting node telemetry
// would: a counter per syscall number modulo SLOTS in an MMAPABLE array (atomic adds, as CPUs share it)
// and each syscall's latency in a per-CPU log2 histogram (exp2: bucket b counts (2^(b-1), 2^b] ns).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 16
#define BUCKETS 40

__u32 target_tgid SEC(".data.target") = 0xffffffff;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} syscalls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} latency SEC(".maps");

// Entry time per thread, for the latency at sys_exit.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} entered SEC(".maps");

static __always_inline int targeted(__u64 pid_tgid)
{
	return (__u32)(pid_tgid >> 32) == target_tgid;
}

// floor(log2(v)) for v > 0, without loops.
static __always_inline __u32 floor_log2(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xffff) << 4; v >>= shift; r |= shift;
	shift = (v > 0xff) << 3; v >>= shift; r |= shift;
	shift = (v > 0xf) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

// The exp2 bucket of v: the least b with v <= 2^b; the last bucket takes what lies above.
static __always_inline __u32 exp2_bucket(__u64 v)
{
	__u32 b = v <= 1 ? 0 : floor_log2(v - 1) + 1;

	return b < BUCKETS ? b : BUCKETS - 1;
}

// raw_tp/sys_enter: ctx[0] is the struct pt_regs *, ctx[1] the syscall number.
SEC("raw_tp/sys_enter")
int count_enter(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, slot;
	__u64 now, *count;

	if (!targeted(pid_tgid))
		return 0;
	slot = (__u32)ctx[1] % SLOTS;
	count = bpf_map_lookup_elem(&syscalls, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&entered, &tid, &now, BPF_ANY);
	return 0;
}

SEC("raw_tp/sys_exit")
int count_exit(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, bucket;
	__u64 *start, *count;

	if (!targeted(pid_tgid))
		return 0;
	start = bpf_map_lookup_elem(&entered, &tid);
	if (!start)
		return 0;
	bucket = exp2_bucket(bpf_ktime_get_ns() - *start);
	bpf_map_delete_elem(&entered, &tid);
	count = bpf_map_lookup_elem(&latency, &bucket);
	if (count)
		*count += 1; // this CPU's own slot: no other CPU writes it
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
