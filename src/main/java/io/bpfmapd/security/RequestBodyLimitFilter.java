package io.bpfmapd.security;

import io.bpfmapd.backend.Errno;
import io.bpfmapd.limits.LimitExceededException;
import io.bpfmapd.web.ProblemType;
import io.bpfmapd.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 413 for a body larger than {@code bpfmapd.limits.max-request-bytes}, before anything reads it, and
 * only once the request is authorized, so that no one unknown makes the service buffer anything. A
 * declared Content-Length is checked at once; a chunked body has no length, so it is read here up to
 * one byte past the limit and handed on from memory (at most the limit is ever held).
 */
public final class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final String LIMIT = "bpfmapd.limits.max-request-bytes";

    private final long maxBytes;
    public RequestBodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response, declared + "-byte body");
            return;
        }
        if (declared >= 0 || request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (body.length > maxBytes) {
            refuse(request, response, "chunked body of more than " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        // The client may still be sending; closing the connection spares reading the rest.
        response.setHeader("Connection", "close");
        // A request too large in itself, but for a body HTTP has a status of its own (RFC 9110 §15.5.14).
        ProblemDetail problem = ProblemType.LIMIT_EXCEEDED.problem(HttpStatus.CONTENT_TOO_LARGE,
                ProblemType.LIMIT_EXCEEDED.title(), Errno.E2BIG, "a " + what + " is larger than the " + maxBytes
                        + " bytes a request may carry (" + LIMIT + ")");
        problem.setProperty(LimitExceededException.LIMIT, LIMIT);
        problem.setProperty(LimitExceededException.MAX, maxBytes);
        ProblemWriter.write(request, response, problem);
    }

    /** A request whose body has already been read into memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already in memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (IllegalArgumentException unknownCharset) {
                // a client's bad charset name is not a reason for a 500; the JSON layer refuses bad bytes
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
