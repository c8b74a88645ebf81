// The test suite's libbpf agent: loads a BPF object the way a real eBPF agent does (libbpf, BTF-defined
// maps, global variables in .bss/.data/.rodata maps, auto-attach by section name), pins every map of
// it under a directory, prints "ready" and stays alive until its stdin closes; then it unpins and
// exits, detaching its programs. io.bpfmapd.testing.LibbpfAgent drives it.
//
//   loader OBJECT.bpf.o PIN_DIR
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "loader: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *links[64];
	int nlinks = 0, err;
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT PIN_DIR\n", argv[0]);
		return 2;
	}
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	obj = bpf_object__open_file(argv[1], NULL);
	err = libbpf_get_error(obj);
	if (err)
		return fail("open", err);
	err = bpf_object__load(obj);
	if (err)
		return fail("load", err);
	bpf_object__for_each_program(prog, obj) {
		if (nlinks == 64)
			return fail("attach: more than 64 programs", E2BIG);
		links[nlinks] = bpf_program__attach(prog);
		err = libbpf_get_error(links[nlinks]);
		if (err)
			return fail(bpf_program__name(prog), err);
		nlinks++;
	}
	// Every map, internal ones (.bss, .data, .rodata, .data.*) included, at PIN_DIR/<map name>.
	err = bpf_object__pin_maps(obj, argv[2]);
	if (err)
		return fail("pin", err);
	printf("ready\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	bpf_object__unpin_maps(obj, argv[2]);
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
	bpf_object__close(obj);
	return 0;
}
