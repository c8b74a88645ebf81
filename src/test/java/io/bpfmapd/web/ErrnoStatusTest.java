package io.bpfmapd.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfmapd.backend.Errno;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * Every errno the kernel can return for the operations the service makes has a name and an honest
 * status: none becomes a 500 {@code eunknown}. The numbers are the ERRORS sections of the man pages
 * (x86_64 numbering); those that only pipes, sockets or exec'd files have (EPIPE, ESPIPE,
 * EDESTADDRREQ) cannot arise on a map file, a pin or a bpf fd and are left out.
 */
class ErrnoStatusTest {

    /** bpf(2), plus what kernel/bpf/syscall.c returns beyond the man page (EBUSY, EEXIST, ENOSPC, 524). */
    static final int[] BPF = {1, 2, 7, 9, 11, 12, 13, 14, 16, 17, 22, 28, 95, 524};
    /** mmap(2). */
    static final int[] MMAP = {9, 11, 12, 13, 17, 19, 22, 23, 26, 1, 75};
    /** link(2): a pin (BPF_OBJ_PIN through kern_path_create, and the emulation's hard link). */
    static final int[] LINK = {1, 2, 5, 12, 13, 14, 17, 18, 20, 28, 30, 31, 36, 40, 122};
    /** open(2): BPF_OBJ_GET and the emulation's map files. */
    static final int[] OPEN = {1, 2, 4, 6, 9, 12, 13, 14, 16, 17, 19, 20, 21, 22, 23, 24, 26, 27, 28, 30, 36, 40, 75, 95,
            122};
    /** unlink(2): removing a pin; fallocate(2) and write(2) on a map file. */
    static final int[] UNLINK_FALLOCATE_WRITE = {1, 2, 4, 5, 9, 11, 13, 16, 19, 20, 21, 22, 26, 27, 28, 30, 36, 38, 40, 95,
            122};

    @Test
    void everyErrnoOfTheOperationsWeMakeHasANameAndA4xxOr503() {
        Map<Integer, String> unnamed = new TreeMap<>();
        Map<Integer, String> bugs = new TreeMap<>();
        for (int[] errors : new int[][] {BPF, MMAP, LINK, OPEN, UNLINK_FALLOCATE_WRITE}) {
            for (int code : errors) {
                Errno errno = Errno.of(code);
                if (errno == Errno.EUNKNOWN) {
                    unnamed.put(code, "unnamed");
                } else if (ErrnoStatus.of(errno) == HttpStatus.INTERNAL_SERVER_ERROR) {
                    bugs.put(code, errno.name());
                }
            }
        }
        assertThat(unnamed).as("errnos without a name").isEmpty();
        // A bad fd or address is the service's own bug; EIO is damaged data (a truncated map file).
        assertThat(bugs).as("errnos answered 500").containsOnlyKeys(5, 9, 14);
    }

    @Test
    void aBrokenMachineIs503AndAFileTooLargeA400() {
        for (Errno errno : new Errno[] {Errno.EROFS, Errno.EDQUOT, Errno.ENOSPC, Errno.ENODEV, Errno.ENXIO,
                Errno.EMLINK, Errno.EINTR, Errno.ESTALE}) {
            assertThat(ErrnoStatus.of(errno)).as(errno.name()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        assertThat(ErrnoStatus.of(Errno.EFBIG)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(ErrnoStatus.of(Errno.ETXTBSY)).isEqualTo(HttpStatus.CONFLICT);
    }
}
