package org.hypertube.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record ProfileForm(
        @NotBlank(message = "{field.required}") @Email(message = "{email.invalid}") @Size(max = 254, message = "{field.tooLong}") String email,
        @NotBlank(message = "{field.required}") @Pattern(regexp = Usernames.PATTERN, message = "{username.invalid}") String username,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String firstName,
        @NotBlank(message = "{field.required}") @Size(max = 100, message = "{field.tooLong}") String lastName,
        String language,
        @Size(max = 128, message = "{password.tooLong}") String currentPassword) {

    static ProfileForm of(Member m) {
        return new ProfileForm(m.getEmail(), m.getUsername(), m.getFirstName(), m.getLastName(), m.getLanguage(), "");
    }

    @Override
    public String toString() {
        return "ProfileForm[" + username + "]";
    }
}
