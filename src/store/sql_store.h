// Internal: the Store implementation shared by both engines, over a Db.
#pragma once

#include <memory>

#include "kalm/domain/store.h"
#include "store/db.h"

namespace kalm::store {

// Applies the migrations up to `target` (0: the newest) and returns the
// store. Errors: kFailedPrecondition (the database is newer than `target`
// allows), those of the Db.
StatusOr<std::unique_ptr<domain::Store>> MakeSqlStore(std::unique_ptr<Db> db,
                                                      int target);

}  // namespace kalm::store
