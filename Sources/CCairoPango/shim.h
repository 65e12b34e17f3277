// Cairo (PDF, SVG and PNG surfaces), Pango on Cairo (text) and fontconfig (font pinning).
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#include <cairo/cairo-svg.h>
#include <pango/pangocairo.h>
#include <fontconfig/fontconfig.h>
