package io.bpfmapd.web;

import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.map.MapNotFoundException;
import io.bpfmapd.session.SessionClosedException;
import io.bpfmapd.session.SessionNotFoundException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}) with a stable
 * {@code type} (see {@link ProblemTypes}), a top-level symbolic {@code errno} where the failure is one,
 * and the {@code operation} that failed. Spring's own errors (malformed JSON, type mismatch, unknown
 * path...) go through the same shape by way of {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    public static final String ERRNO = "errno";
    public static final String OPERATION = "operation";
    public static final String ERRORS = "errors";

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(BpfException.class)
    ResponseEntity<ProblemDetail> bpf(BpfException e) {
        HttpStatus status = ErrnoStatus.of(e.errno());
        if (status.is5xxServerError()) {
            log.error("{} failed with {} (errno {})", e.operation(), e.errno(), e.code(), e);
        }
        ProblemDetail problem = problem(status, ProblemTypes.of(e.errno()),
                e.errno().description() + " (" + e.errno().name() + ")", e.getMessage());
        problem.setProperty(ERRNO, e.errno().name());
        problem.setProperty(OPERATION, e.operation());
        return respond(problem);
    }

    @ExceptionHandler(MapNotFoundException.class)
    ResponseEntity<ProblemDetail> mapNotFound(MapNotFoundException e) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.MAP_NOT_FOUND, "Map not found", e.getMessage());
        problem.setProperty(ERRNO, Errno.ENOENT.name());
        return respond(problem);
    }

    @ExceptionHandler(SessionNotFoundException.class)
    ResponseEntity<ProblemDetail> sessionNotFound(SessionNotFoundException e) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.SESSION_NOT_FOUND, "Session not found",
                e.getMessage());
        problem.setProperty(ERRNO, Errno.ENOENT.name());
        return respond(problem);
    }

    /** A read or write lost the race with the session's close or expiry: 410, the mapping is gone. */
    @ExceptionHandler(SessionClosedException.class)
    ResponseEntity<ProblemDetail> sessionClosed(SessionClosedException e) {
        return respond(problem(HttpStatus.GONE, ProblemTypes.SESSION_CLOSED, "Session closed during the request",
                e.getMessage()));
    }

    @ExceptionHandler(BackendUnavailableException.class)
    ResponseEntity<ProblemDetail> backendUnavailable(BackendUnavailableException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.BACKEND_UNAVAILABLE,
                "Backend unavailable", e.getMessage());
        problem.setProperty("backend", e.backend().name());
        return respond(problem);
    }

    /** Anything else is a bug: log it whole, tell the client nothing about the internals. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        log.error("unexpected failure", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
                "the service failed unexpectedly; the log has the details"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request body",
                readableCause(e));
        problem.setProperty(ERRNO, Errno.EINVAL.name());
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + f.getDefaultMessage())
                .sorted()
                .toList();
        return handleExceptionInternal(e, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> r.getMethodParameter().getParameterName() + ": " + err.getDefaultMessage()))
                .sorted()
                .toList();
        return handleExceptionInternal(e, invalid(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A 400 naming every field or parameter that failed validation, sorted. */
    private static ProblemDetail invalid(List<String> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
                String.join("; ", errors));
        problem.setProperty(ERRNO, Errno.EINVAL.name());
        problem.setProperty(ERRORS, errors);
        return problem;
    }

    /**
     * Every other Spring MVC error (type mismatch, missing parameter, unknown path, wrong method or media
     * type) keeps Spring's status and detail, and gets our type and, for a 400, errno EINVAL.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (body == null && e instanceof ErrorResponse error) {
            body = error.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
        }
        if (body instanceof ProblemDetail problem && isDefaultType(problem.getType())) {
            problem.setType(typeFor(status));
            if (status.value() == HttpStatus.BAD_REQUEST.value()) {
                problem.setProperty(ERRNO, Errno.EINVAL.name());
            }
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        // Spring would negotiate the type from Accept; a client asking for octet-stream still gets a problem.
        HttpHeaders withType = new HttpHeaders();
        withType.putAll(headers);
        withType.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, withType, status);
    }

    private static boolean isDefaultType(URI type) {
        return type == null || "about:blank".equals(type.toString());
    }

    private static URI typeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemTypes.INVALID_REQUEST;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 406 -> ProblemTypes.NOT_ACCEPTABLE;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            default -> ProblemTypes.INTERNAL_ERROR;
        };
    }

    /** Jackson's own message without its source excerpt: says what was wrong and where, not our internals. */
    private static String readableCause(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof JacksonException jackson) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference ref : jackson.getPath()) {
                if (ref.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            String message = firstLine(jackson.getOriginalMessage());
            return path.isEmpty() ? message : "at " + path + ": " + message;
        }
        return "the request body could not be read as JSON";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "the request body could not be read as JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
