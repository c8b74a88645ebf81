package io.bpfmapd.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads to its end, and discards, what a request's answer left of its body: a refusal before the body
 * was read (401 and 403 before any handler, a session write longer than its window, an unknown session)
 * would otherwise leave content unread, and Jetty closes such a connection, so a client still sending the
 * body meets a broken pipe instead of the problem it was sent (Tomcat swallowed up to 2 MiB itself). At
 * most {@code bpfmapd.limits.max-request-bytes} is read and nothing is kept; a body declared larger is
 * refused with {@code Connection: close} by {@link RequestBodyLimitFilter} and not read. First of all
 * filters, so that it also runs for what Spring Security refuses.
 */
final class UnreadBodyDrain extends OncePerRequestFilter {

    private final long maxBytes;

    UnreadBodyDrain(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            drain(request);
        }
    }

    private void drain(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        boolean chunked = declared < 0 && request.getHeader("Transfer-Encoding") != null;
        if (!(declared > 0 && declared <= maxBytes || chunked) || request.isAsyncStarted()) {
            return;
        }
        byte[] discard = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            for (long left = maxBytes; left > 0; ) {
                int n = in.read(discard, 0, (int) Math.min(discard.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the body was read as characters: nothing to drain here
        }
    }
}
