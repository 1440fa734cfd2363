package org.hypertube.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A wrong verb or an unknown address is found before any controller, so no controller's advice
 * sees it: under /api it is answered as a problem (with Allow for 405); elsewhere Spring's usual
 * handling goes on to the error page.
 */
@ControllerAdvice
class RouteProblems {

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    Object wrongVerb(HttpRequestMethodNotSupportedException e, HttpServletRequest request) throws Exception {
        Set<org.springframework.http.HttpMethod> allowed = e.getSupportedHttpMethods();
        if (isApi(request)) {
            var headers = new HttpHeaders();
            if (allowed != null) {
                headers.setAllow(allowed);
            }
            return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).headers(headers)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage()));
        }
        throw e; // the same exception again: Spring's default handling and the error page take over
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Object unknown(NoResourceFoundException e, HttpServletRequest request) throws Exception {
        if (isApi(request)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such route."));
        }
        throw e;
    }

    private static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/api/");
    }
}
