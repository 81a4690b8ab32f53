package backup

// What the package's external tests (package backup_test) reach that the
// program has no use for outside the package.

const TypeToken = typeToken

var ValidateSchedule = validateSchedule
