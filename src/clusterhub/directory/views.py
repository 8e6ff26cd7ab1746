from django.shortcuts import render

from .services import list_page


def directory_list(request):
    return render(request, "directory/list.html", {"page": list_page(request.GET.get("page"))})
