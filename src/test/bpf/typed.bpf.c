// TypedValueBpftoolTest's program: map values and globals of every shape clang gives BTF to (bitfields
// with kind_flag, anonymous members, enums of 1 and 8 bytes, char arrays, bools, pointers, typedefs and
// qualifiers), so that the service's typed JSON is compared with bpftool's over BTF nobody here wrote.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum color { RED = 1, GREEN = 2, BLUE = 200 };
enum level { LOW = -1, HIGH = 1 } __attribute__((packed));   // one byte, signed
enum big { HUGE = 0x100000000ULL, HUGER = 0xffffffff00000000ULL };
typedef __u16 port_t;

struct inner {
	char name[6];
	port_t port;
};

struct rich {
	__u64 packets;
	__s32 delta;
	unsigned int flags : 3;
	int level : 5;
	unsigned int wide : 20;
	char comm[16];
	char c;
	_Bool ok;
	enum level lvl;
	enum color color;
	union {
		__u32 addr;
		unsigned char bytes[4];
	};
	struct {
		__u16 lo;
		__u16 hi;
	} pair;
	const volatile struct inner in[2];
	enum big big;
	int *ptr;
	__s64 neg;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct rich);
} rich_map SEC(".maps");

struct rich data_rich = { .packets = 7, .flags = 5, .level = -3, .comm = "data", .color = BLUE, .lvl = LOW,
			  .in = { { "eth0", 80 }, { "lo", 443 } }, .big = HUGER, .neg = -9 };
char greeting[8] = "hi";
_Bool flag = 1;
const volatile __u32 limit = 42;
const volatile char banner[4] = "abc";
__u64 hits;
struct rich bss_rich;

SEC("raw_tp/sys_enter")
int touch(void *ctx)
{
	__u32 key = 0;
	struct rich *r = bpf_map_lookup_elem(&rich_map, &key);

	if (r && limit == 0)
		r->packets += data_rich.packets + greeting[0] + flag + banner[0] + bss_rich.delta;
	if (limit == 0)
		hits++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
