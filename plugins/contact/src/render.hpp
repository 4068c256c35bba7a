#pragma once

#include <map>
#include <string>

#include "form.hpp"

namespace portico::plugins::contact {

/// Everything one rendering of the form page needs.
struct FormView {
    std::string locale;
    std::string action;  ///< the form's URL path
    std::string token;
    FormInput input;                            ///< what the visitor typed (empty for a fresh form)
    std::map<std::string, std::string> errors;  ///< field -> message key; "form" for the whole
    std::string notice;  ///< message key shown above the form (e.g. "store_unavailable")
};


/// The form page: labels, inputs holding `input`, each error next to its field (linked with
/// aria-describedby), the hidden honeypot and token. Works without JavaScript. Pure.
std::string renderForm(const FormView& view);

/// The thank-you page for `locale`. Pure.
std::string renderThanks(const std::string& locale, const std::string& form_path);

}  // namespace portico::plugins::contact
