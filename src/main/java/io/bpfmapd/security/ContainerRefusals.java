package io.bpfmapd.security;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What Tomcat refused itself and Jetty lets through to the servlet, refused here, before it, with the
 * status Tomcat gave (and RFC 9110/9112 ask for), through {@link ProblemErrorHandler}:
 * <ul>
 * <li>a transfer coding other than {@code chunked} alone: Jetty 12 decodes the chunking and hands the
 * still-encoded body (e.g. gzip) to the servlet as if it were the content, which a binary map write
 * would store as values; RFC 9112 §6.1: a server SHOULD answer 501 to a transfer coding it does not
 * understand;</li>
 * <li>{@code CONNECT}: this server is no proxy (501, RFC 9110 §9.3.6);</li>
 * <li>{@code TRACE}: never allowed (405, as Tomcat's {@code allowTrace=false}); the firewall would
 * answer 400 for it as for a method it does not know.</li>
 * </ul>
 */
final class ContainerRefusals extends Handler.Wrapper {

    ContainerRefusals(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int refused = refusal(request);
        if (refused != 0) {
            Response.writeError(request, response, callback, refused);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static int refusal(Request request) {
        String method = request.getMethod();
        if ("CONNECT".equals(method)) {
            return HttpStatus.NOT_IMPLEMENTED_501;
        }
        if ("TRACE".equals(method)) {
            return HttpStatus.METHOD_NOT_ALLOWED_405;
        }
        for (String coding : request.getHeaders().getCSV(HttpHeader.TRANSFER_ENCODING, false)) {
            if (!"chunked".equalsIgnoreCase(coding.strip())) {
                return HttpStatus.NOT_IMPLEMENTED_501;
            }
        }
        return 0;
    }
}
