package io.bpfmapd.clients;

/**
 * What each generated Java client does against the service over HTTP (issue 12): the driver of each is
 * compiled with the client from the live document ({@code src/test/clients/java}), and throws an
 * {@link AssertionError} for anything the service or the client got wrong.
 */
public interface ClientScenarios {

    /**
     * A map's whole life on an open service: create, list, values in every format, ranges, the data area
     * as bytes, sessions (JSON and raw reads and writes, renew, close), freeze refused with EBUSY then done,
     * EPERM after, delete, 404; every refusal read as the generated Problem with its Errno.
     */
    void mapLifecycle(String baseUrl) throws Exception;

    /** Pins a map of its own, imports {@code agentPin} (an emulated map pinned by someone else) and reads it. */
    void pinAndImport(String baseUrl, String agentPin) throws Exception;

    /**
     * Against a service with tokens and {@code bpfmapd.limits.max-sessions-per-principal=1}: 401 without a
     * token, 403 for a role that may not, 403 for another principal's session, 429 for a second session.
     */
    void secured(String baseUrl, Tokens tokens) throws Exception;

    /** The bearer tokens of the secured service, one per role, and a second writer. */
    record Tokens(String reader, String writer, String otherWriter, String admin) {
    }
}
