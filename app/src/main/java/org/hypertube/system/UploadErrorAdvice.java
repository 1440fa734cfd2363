package org.hypertube.system;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** An upload over the size cap goes back to the page it came from with a message, not an error page. */
@ControllerAdvice
class UploadErrorAdvice {

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    String tooLarge(HttpServletRequest request, RedirectAttributes redirect) {
        redirect.addFlashAttribute("uploadError", "upload.tooLarge");
        return "redirect:" + sameSitePath(request.getHeader("Referer"), request);
    }

    private static String sameSitePath(String referer, HttpServletRequest request) {
        try {
            URI uri = URI.create(referer == null ? "/" : referer);
            boolean ours = uri.getHost() == null || uri.getHost().equalsIgnoreCase(request.getServerName());
            String path = uri.getRawPath();
            if (ours && path != null && path.startsWith("/") && !path.startsWith("//")) {
                return path;
            }
        } catch (IllegalArgumentException ignored) {
            // a malformed Referer: go home
        }
        return "/";
    }
}
