// Cairo (PDF and PNG surfaces), Pango on Cairo (text) and fontconfig (font pinning).
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <pango/pangocairo.h>
#include <fontconfig/fontconfig.h>
