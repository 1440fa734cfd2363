package org.hypertube.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.io.IOException;
import org.hypertube.system.Languages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Members' profiles: anyone signed in may look; only the member themself may change theirs. */
@Controller
class ProfileController {

    private static final Logger log = LoggerFactory.getLogger(ProfileController.class);

    private final AccountService accounts;
    private final PictureStore pictures;
    private final SignIn signIn;
    private final MemberPictures memberPictures;

    ProfileController(AccountService accounts, PictureStore pictures, SignIn signIn, MemberPictures memberPictures) {
        this.accounts = accounts;
        this.pictures = pictures;
        this.signIn = signIn;
        this.memberPictures = memberPictures;
    }

    @GetMapping("/profile")
    String own(@AuthenticationPrincipal MemberPrincipal me) {
        return "redirect:/users/" + me.id() + "/edit";
    }

    @GetMapping("/users/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("profile", accounts.publicProfile(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        return "account/profile";
    }

    @GetMapping("/users/{id}/edit")
    String edit(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me, Model model) {
        Member member = own(id, me);
        model.addAttribute("form", ProfileForm.of(member));
        prepareEdit(model, member);
        return "account/edit";
    }

    @PostMapping("/users/{id}/edit")
    String update(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me,
                  @Valid @ModelAttribute("form") ProfileForm form, BindingResult errors, Model model,
                  HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        Member member = own(id, me);
        if (!errors.hasErrors()) {
            try {
                signIn.as(accounts.updateProfile(id, form), request, response, false);
                redirect.addFlashAttribute("saved", "profile.saved");
                return "redirect:/users/" + id + "/edit";
            } catch (AccountException e) {
                errors.rejectValue(e.field(), e.code());
            }
        }
        prepareEdit(model, member);
        return "account/edit";
    }

    @PostMapping("/users/{id}/password")
    String changePassword(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me,
                          @Valid @ModelAttribute("passwordForm") PasswordChangeForm form, BindingResult errors, Model model,
                          HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        Member member = own(id, me);
        if (!errors.hasErrors()) {
            try {
                // Every other session of the member ends; this one goes on under a new id.
                signIn.as(accounts.changePassword(id, form.currentPassword(), form.password()), request, response, true);
                redirect.addFlashAttribute("saved", "password.changed");
                return "redirect:/users/" + id + "/edit";
            } catch (AccountException e) {
                errors.rejectValue(e.field(), e.code());
            }
        }
        // The bound passwordForm stays in the model: replacing it would drop its field errors.
        model.addAttribute("form", ProfileForm.of(member));
        model.addAttribute("member", member);
        model.addAttribute("languages", Languages.ALL);
        return "account/edit";
    }

    @PostMapping("/users/{id}/picture")
    String uploadPicture(@PathVariable long id, @AuthenticationPrincipal MemberPrincipal me,
                         @RequestParam(name = "picture", required = false) MultipartFile picture, RedirectAttributes redirect)
            throws IOException {
        own(id, me);
        try {
            if (picture == null || picture.isEmpty()) {
                throw new PictureStore.NotAPictureException("no file");
            }
            String name = pictures.store(picture.getBytes());
            accounts.setPicture(id, name).ifPresent(pictures::delete);
            redirect.addFlashAttribute("saved", "picture.saved");
        } catch (PictureStore.NotAPictureException e) {
            log.info("member {} uploaded a file refused as picture: {}", id, e.getMessage());
            redirect.addFlashAttribute("pictureError", e.messageKey());
        }
        return "redirect:/users/" + id + "/edit";
    }

    @GetMapping("/users/{id}/picture")
    ResponseEntity<Resource> picture(@PathVariable long id) {
        return memberPictures.picture(id);
    }

    /** The member being edited, if it is the one signed in; anyone else gets 403. */
    private Member own(long id, MemberPrincipal me) {
        if (me == null || me.id() != id) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return accounts.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private static void prepareEdit(Model model, Member member) {
        model.addAttribute("member", member);
        model.addAttribute("passwordForm", PasswordChangeForm.empty());
        model.addAttribute("languages", Languages.ALL);
    }
}
