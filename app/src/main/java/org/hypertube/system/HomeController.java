package org.hypertube.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in landing page. The film library (catalog feature) takes it over when it arrives. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "home";
    }
}
