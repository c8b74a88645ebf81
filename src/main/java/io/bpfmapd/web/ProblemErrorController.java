package io.bpfmapd.web;

import io.bpfmapd.backend.Errno;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page, in place of Spring Boot's {@code BasicErrorController}: an error
 * the container itself answers (a TRACE, which Tomcat refuses with 405; an exception that escaped every
 * handler; a {@code sendError} from a filter) becomes a problem detail like every other answer, never
 * Boot's {@code {"timestamp":…,"status":405}}. {@code /error} asked for directly is not an error page
 * but a path with nothing behind it: 404, not Boot's 500 with {@code "status":999}.
 */
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
            ProblemWriter.write(request, response, ProblemType.NOT_FOUND.problem("nothing here: " + request.getRequestURI()));
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        ProblemType type = ProblemType.ofHttpStatus(status, ProblemType.MALFORMED_REQUEST);
        Errno errno = type.errno();
        String detail;
        if (status >= 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            log.error("unexpected failure, answered by the container", failure);
            detail = "the service failed unexpectedly; the log has the details";
        } else {
            detail = known == null ? "HTTP " + status : known.getReasonPhrase();
        }
        ProblemDetail problem = type.problem(org.springframework.http.HttpStatusCode.valueOf(status),
                known == null ? "HTTP " + status : known.getReasonPhrase(), errno, detail);
        problem.setInstance(instance(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
        ProblemWriter.write(request, response, problem);
    }

    /** The path that failed, if it is one a URI can hold (the error page is not the place to refuse it again). */
    private static URI instance(Object path) {
        if (path instanceof String p) {
            try {
                return new URI(p);
            } catch (URISyntaxException e) {
                return null;
            }
        }
        return null;
    }
}
