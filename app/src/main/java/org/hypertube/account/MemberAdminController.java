package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The members page of administrators (under /admin, so only they reach it): who is one, and changing it. */
@Controller
class MemberAdminController {

    private final MemberRoles roles;
    private final SignIn signIn;

    MemberAdminController(MemberRoles roles, SignIn signIn) {
        this.roles = roles;
        this.signIn = signIn;
    }

    @GetMapping("/admin/members")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("members", roles.list(page));
        return "account/members";
    }

    @PostMapping("/admin/members/{id}/role")
    String setRole(@PathVariable long id, @RequestParam boolean admin, @RequestParam(defaultValue = "0") int page,
                   @AuthenticationPrincipal MemberPrincipal me, HttpServletRequest request, HttpServletResponse response,
                   RedirectAttributes redirect) {
        try {
            Member changed = roles.setAdmin(me.id(), id, admin);
            if (changed.getId() == me.id()) {
                signIn.as(changed, request, response, false); // this session goes on, without the role
                return "redirect:/";
            }
            redirect.addFlashAttribute("saved", admin ? "members.promoted" : "members.demoted");
        } catch (AccountException e) {
            redirect.addFlashAttribute("roleError", e.code());
        }
        return "redirect:/admin/members?page=" + page;
    }
}
