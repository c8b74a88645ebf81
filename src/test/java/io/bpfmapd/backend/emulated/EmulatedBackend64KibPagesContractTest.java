package io.bpfmapd.backend.emulated;

/**
 * The backend contract against the emulation of an arm64 kernel built with 64 KiB pages: every offset,
 * length and data size the contract states in pages holds there too.
 */
class EmulatedBackend64KibPagesContractTest extends EmulatedBackendContractTest {

    @Override
    long pageSize() {
        return 64 * 1024;
    }
}
