package io.bpfmapd.web;

import io.bpfmapd.backend.BackendUnavailableException;
import io.bpfmapd.backend.BpfException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}) with a stable
 * {@code type} (see {@link ProblemType}), a top-level symbolic {@code errno} where the failure is one,
 * and the {@code operation} that failed. Spring's own errors (malformed JSON, type mismatch, unknown
 * path...) go through the same shape by way of {@link ResponseEntityExceptionHandler}. Every answer
 * leaves through {@link ProblemWriter}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(BpfException.class)
    ResponseEntity<ProblemDetail> bpf(BpfException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.ERRNO.problem(e.errno(), e.getMessage());
        if (problem.getStatus() >= 500) {
            log.error("{} failed with {} (errno {})", e.operation(), e.errno(), e.code(), e);
        }
        problem.setProperty(ProblemWriter.OPERATION, e.operation());
        return ProblemWriter.respond(request, problem);
    }

    /** A failure of a feature package (no such map or session, a limit...) that names its own problem type. */
    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException e, HttpServletRequest request) {
        ProblemDetail problem = e.problemType().problem(e.errno(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return ProblemWriter.respond(request, problem);
    }

    @ExceptionHandler(BackendUnavailableException.class)
    ResponseEntity<ProblemDetail> backendUnavailable(BackendUnavailableException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemType.BACKEND_UNAVAILABLE.problem(e.getMessage());
        problem.setProperty("backend", e.backend().name());
        return ProblemWriter.respond(request, problem);
    }

    /** Anything else is a bug: log it whole, tell the client nothing about the internals. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e, HttpServletRequest request) {
        log.error("unexpected failure", e);
        return ProblemWriter.respond(request,
                ProblemType.INTERNAL_ERROR.problem("the service failed unexpectedly; the log has the details"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(e, ProblemType.MALFORMED_REQUEST.problem(readableCause(e)), headers,
                HttpStatus.BAD_REQUEST, request);
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
        ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(String.join("; ", errors));
        problem.setProperty(ProblemWriter.ERRORS, errors);
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
            ProblemType type = typeFor(status);
            problem.setType(type.uri());
            if (type.errno() != null) {
                problem.setProperty(ProblemWriter.ERRNO, type.errno().name());
            }
        }
        return super.handleExceptionInternal(e, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        // Spring would negotiate the type from Accept; the writer answers with a problem whatever was asked.
        return ProblemWriter.respond(((ServletWebRequest) request).getRequest(), body, headers, status);
    }

    private static boolean isDefaultType(URI type) {
        return type == null || "about:blank".equals(type.toString());
    }

    /** The type of one of Spring's own refusals; its title stays Spring's (the reason phrase). */
    private static ProblemType typeFor(HttpStatusCode status) {
        return ProblemType.ofHttpStatus(status.value(), ProblemType.INVALID_REQUEST);
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
}
