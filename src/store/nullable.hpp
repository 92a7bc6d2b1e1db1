// store/nullable.hpp — the three states of a PATCH field: absent (leave as is), null (clear) or
// a value. Used by the *Update structs of the store interfaces.
#pragma once

#include <optional>

namespace chat::store {

// `field = std::nullopt` leaves the column alone; `field = std::optional<T>{}` clears it;
// `field = T{...}` sets it.
template <class T>
using Nullable = std::optional<std::optional<T>>;

}  // namespace chat::store
