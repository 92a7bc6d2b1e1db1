# chat_write_if_changed(<path> <content>): writes <content> to <path> only when it differs, so
# that regenerating a source (embedded migrations, the browser client) with the same text does
# not trigger a rebuild. Included by the generator scripts run in script mode (cmake -P).
function(chat_write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()
