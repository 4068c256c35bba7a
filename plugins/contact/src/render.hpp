#pragma once

#include <map>
#include <nlohmann/json.hpp>
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

/// The plugin's own form page, used when no site page renderer knows the path: labels, inputs
/// holding `input`, each error next to its field (linked with aria-describedby), the hidden
/// honeypot and token. Works without JavaScript. Pure.
std::string renderForm(const FormView& view);

/// The form as template data for the site's own page (the `contact` key its layout's form partial
/// reads): `action`, `token`, `notice` (text or ""), `has_errors`, `errors_intro`, `errors`
/// (`{id, message}` per invalid field, for the summary), and per field `name`, `email`,
/// `company`, `message`: `{id, value, error, error_id}`, `consent`: `{id, checked, error,
/// error_id}`. Messages are localized; empty strings mean none. Pure.
nlohmann::json formData(const FormView& view);

/// The thank-you page for `locale`. Pure.
std::string renderThanks(const std::string& locale, const std::string& form_path);

}  // namespace portico::plugins::contact
