package org.hypertube.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hypertube.account.AccountException;
import org.hypertube.account.PictureUrls;
import org.hypertube.comment.CommentService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every refusal of an API route as an RFC 9457 problem; field errors listed by field. */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiProblems.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            fields.putIfAbsent(error.getField(), error.getDefaultMessage());
        }
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "Some fields are not valid.");
        problem.setProperty("errors", fields);
        return ResponseEntity.unprocessableContent().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Some parameters are out of range.");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ProblemDetail outOfRange(jakarta.validation.ConstraintViolationException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "Some parameters are out of range.");
    }

    @ExceptionHandler(AccountException.class)
    ProblemDetail account(AccountException e) {
        ProblemDetail problem = switch (e.code()) {
            case "password.currentNeeded" -> ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Changing the e-mail or password needs currentPassword, the member's password.");
            case "password.wrongCurrent", "login.locked" -> ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "currentPassword is not the member's password (or too many wrong ones were tried; wait).");
            case "password.noneSet" -> ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                    "This member signs in through a provider and has no password: they change it on the website.");
            default -> e.code().endsWith(".taken")
                    ? ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.field() + " is already used by another member.")
                    : ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                            e.field() + " is not acceptable (" + e.code() + ").");
        };
        problem.setProperty("errors", Map.of(e.field(), e.code()));
        return problem;
    }

    /** A picture URL refused: 400 when it is not an http(s) URL, 503 when busy, else 422 (nothing was changed). */
    @ExceptionHandler(PictureUrls.RefusedUrl.class)
    ResponseEntity<ProblemDetail> pictureUrl(PictureUrls.RefusedUrl e) {
        HttpStatus status = switch (e.refusal()) {
            case NOT_HTTP -> HttpStatus.BAD_REQUEST;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        String detail = switch (e.refusal()) {
            case NOT_HTTP -> "pictureUrl must be an absolute http or https URL.";
            case INSIDE_ADDRESS -> "pictureUrl's host is not a public address; pictures are fetched from public addresses only.";
            case UNREACHABLE -> "No picture could be fetched from pictureUrl.";
            case NOT_AN_IMAGE -> "pictureUrl does not give a PNG, JPEG, GIF or BMP picture.";
            case TOO_LARGE -> "The picture at pictureUrl is too large (2 MB and 8000 pixels a side at most).";
            case BUSY -> "Other pictures are being decoded; try again in a few seconds.";
        };
        var answer = ResponseEntity.status(status);
        if (e.refusal() == PictureUrls.Refusal.BUSY) {
            answer.header(HttpHeaders.RETRY_AFTER, "10");
        }
        return answer.body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    /** Anything unforeseen: logged once with its path, answered as a problem without the inside details. */
    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        log.error("API {} {} failed", request.getMethod(), request.getRequestURI(), e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on the server.");
    }

    @ExceptionHandler(CommentService.Forbidden.class)
    ProblemDetail commentForbidden() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Only the author (or an administrator, to delete) may do that.");
    }

    @ExceptionHandler(CommentService.Refused.class)
    ProblemDetail commentRefused(CommentService.Refused e, HttpServletRequest request) {
        HttpStatus status = switch (e.code()) {
            case "comment.noFilm", "comment.notFound" -> HttpStatus.NOT_FOUND;
            case "comment.tooFast" -> HttpStatus.TOO_MANY_REQUESTS;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return ProblemDetail.forStatusAndDetail(status, e.code());
    }
}
