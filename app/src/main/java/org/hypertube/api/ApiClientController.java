package org.hypertube.api;

import org.hypertube.account.EmailVerification;
import org.hypertube.account.MemberPrincipal;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A member's own API clients, on their settings. */
@Controller
class ApiClientController {

    private final ApiClients clients;
    private final EmailVerification verification;

    ApiClientController(ApiClients clients, EmailVerification verification) {
        this.clients = clients;
        this.verification = verification;
    }

    @GetMapping("/settings/api-clients")
    String list(@AuthenticationPrincipal MemberPrincipal me, Model model) {
        model.addAttribute("clients", clients.of(me.id()));
        model.addAttribute("unverified", verification.pending(me.id()));
        return "api/clients";
    }

    @PostMapping("/settings/api-clients")
    String create(@AuthenticationPrincipal MemberPrincipal me, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String redirectUris, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("created", clients.create(me.id(), name, redirectUris));
        } catch (ApiClients.Refused e) {
            redirect.addFlashAttribute("clientError", e.code);
        }
        return "redirect:/settings/api-clients";
    }

    @PostMapping("/settings/api-clients/{id}/delete")
    String delete(@AuthenticationPrincipal MemberPrincipal me, @PathVariable String id) {
        if (!clients.delete(me.id(), id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return "redirect:/settings/api-clients";
    }
}
