package org.hypertube.account;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record PasswordChangeForm(String currentPassword,
                          @NotBlank(message = "{field.required}") @Size(max = 128, message = "{password.tooLong}") String password) {

    static PasswordChangeForm empty() {
        return new PasswordChangeForm("", "");
    }

    @Override
    public String toString() {
        return "PasswordChangeForm[***]";
    }
}
